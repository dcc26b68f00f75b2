import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RECORDER_DOCS } from '../help/recorderDocs';
import { parseMarkdown } from '../markdown';
import { DOC_BRANDS } from '../recorders';
import { makeMe, mockFetch, renderApp } from '../test/utils';
import HelpRecordersPage from './HelpRecordersPage';

const PATH = '/help/recorders/:brand';

describe('HelpRecordersPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('signed out: a plain page in the language of ?lang, with a sign-in link', async () => {
    const { calls } = mockFetch((c) => (c.url === '/api/v1/me' ? { status: 401, body: { code: 'unauthenticated', message: '' } } : undefined));
    renderApp(<HelpRecordersPage />, { route: '/help/recorders/dahua?lang=fr', path: PATH });
    const doc = await screen.findByTestId('help-doc');
    expect(doc).toHaveAttribute('data-brand', 'dahua');
    expect(doc).toHaveAttribute('data-lang', 'fr');
    expect(within(doc).getByRole('heading', { level: 1 })).toHaveTextContent('Connecter un enregistreur Dahua à Cam2Drive');
    await waitFor(() => expect(screen.getByTestId('help-sign-in')).toHaveTextContent('Se connecter'));
    expect(screen.queryByTestId('page-title')).toBeNull();
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/me']);
    expect(document.documentElement.lang).toBe('fr');

    // The language switch changes the interface and the document.
    fireEvent.click(screen.getByTestId('help-lang-en'));
    expect(await screen.findByText('Connecting a Dahua recorder to Cam2Drive')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('help-sign-in')).toHaveTextContent('Sign in'));

    fireEvent.click(screen.getByTestId('help-brand-hikvision'));
    expect(await screen.findByText('Connecting a Hikvision recorder to Cam2Drive')).toBeInTheDocument();
  });

  it('signed in: inside the app shell, the document language follows ?lang', async () => {
    mockFetch(() => undefined);
    renderApp(<HelpRecordersPage />, { me: makeMe(), route: '/help/recorders/generic?lang=en', path: PATH });
    // The app shell's bar carries the page title (the drawer is closed on narrow screens).
    expect(await screen.findByTestId('page-title')).toHaveTextContent('Documentation des enregistreurs');
    expect(screen.getByTestId('open-menu')).toBeInTheDocument();
    expect(screen.queryByTestId('help-sign-in')).toBeNull();
    expect(screen.getByTestId('help-doc')).toHaveAttribute('data-lang', 'en');
    fireEvent.click(screen.getByTestId('help-lang-fr'));
    expect(await screen.findByText('Connecter un autre enregistreur ou une caméra IP à Cam2Drive')).toBeInTheDocument();
  });

  it('says so for an unknown brand', async () => {
    mockFetch(() => undefined);
    renderApp(<HelpRecordersPage />, { me: makeMe(), route: '/help/recorders/acme', path: PATH });
    expect(await screen.findByTestId('help-not-found')).toBeInTheDocument();
  });
});

describe('recorder documentation', () => {
  it.each(DOC_BRANDS.flatMap((b) => [[b, 'fr'], [b, 'en']] as const))('%s (%s) is a full guide', (brand, lang) => {
    const src = RECORDER_DOCS[brand][lang];
    const blocks = parseMarkdown(src);
    expect(blocks[0]).toMatchObject({ t: 'heading', level: 1 });
    expect(blocks.filter((b) => b.t === 'heading' && b.level === 2).length).toBeGreaterThanOrEqual(5);
    // A troubleshooting table with the ban rule and the disabled channel.
    expect(blocks.some((b) => b.t === 'table')).toBe(true);
    expect(src).toMatch(/530/);
    expect(src).toMatch(/550/);
    expect(src).toMatch(/15 minutes/);
    expect(src).toContain('SFTP');
    expect(src).toMatch(/FTPS/);
    expect(src).toMatch(lang === 'fr' ? /Étape 5/ : /[Ss]tep 5/);
    // No raw HTML in the guides.
    expect(src.replace(/`[^`]*`/g, '')).not.toMatch(/<[a-z][^>]*>/i);
  });

  it('has the same structure in both languages', () => {
    for (const brand of DOC_BRANDS) {
      const count = (lang: 'fr' | 'en') => parseMarkdown(RECORDER_DOCS[brand][lang]).map((b) => (b.t === 'heading' ? `h${b.level}` : b.t));
      expect(count('fr'), brand).toEqual(count('en'));
    }
  });
});
