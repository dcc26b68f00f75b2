import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeMe, mockFetch, renderApp } from '../test/utils';
import PreferencesPage from './PreferencesPage';

describe('PreferencesPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('applies theme, density and language at once and saves them in one PATCH', async () => {
    const { calls } = mockFetch((c) => (c.method === 'PATCH' ? { body: c.body } : undefined));
    renderApp(<PreferencesPage />, { me: makeMe(), route: '/preferences', path: '/preferences' });
    expect(document.documentElement.dataset.theme).toBe('light');

    fireEvent.click(screen.getByTestId('pref-theme-dark'));
    fireEvent.click(screen.getByTestId('pref-density-compact'));
    fireEvent.change(screen.getByTestId('pref-rows'), { target: { value: '50' } });

    // Live: no reload, no waiting for the server.
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    expect(document.documentElement.dataset.density).toBe('compact');
    expect(screen.getByTestId('pref-theme-dark')).toHaveAttribute('aria-pressed', 'true');

    fireEvent.click(screen.getByTestId('pref-lang-en'));
    expect(await screen.findByText('Display density')).toBeInTheDocument();

    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(1));
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.url).toBe('/api/v1/me/preferences');
    expect(patch.body).toEqual({ theme: 'dark', density: 'compact', rows_per_page: 50, language: 'en' });
    expect(await screen.findByTestId('pref-saved')).toBeInTheDocument();
  });

  it('shows the API tokens section only with tokens.manage', async () => {
    mockFetch((c) => (c.url.startsWith('/api/v1/me/tokens') ? { body: { items: [], total: 0, next_cursor: '' } } : undefined));
    const { unmount } = renderApp(<PreferencesPage />, { me: makeMe(), route: '/preferences', path: '/preferences' });
    expect(screen.queryByTestId('tokens-card')).toBeNull();
    unmount();
    renderApp(<PreferencesPage />, {
      me: makeMe({ permissions: ['tokens.manage'] }),
      route: '/preferences',
      path: '/preferences',
    });
    expect(await screen.findByText("Jetons d'API")).toBeInTheDocument();
  });

  it('creates a token and shows it once', async () => {
    mockFetch((c) => {
      if (c.url.startsWith('/api/v1/me/tokens') && c.method === 'GET') return { body: { items: [], total: 0, next_cursor: '' } };
      if (c.url === '/api/v1/me/tokens' && c.method === 'POST') return { status: 201, body: { id: 't1', name: 'CI', token: 'c2d_secret123' } };
      return undefined;
    });
    renderApp(<PreferencesPage />, { me: makeMe({ permissions: ['tokens.manage'] }), route: '/preferences', path: '/preferences' });
    fireEvent.change(screen.getByTestId('token-name'), { target: { value: 'CI' } });
    fireEvent.click(screen.getByTestId('token-create'));
    expect(await screen.findByTestId('token-value')).toHaveTextContent('c2d_secret123');
    expect(screen.getByTestId('token-copy')).toBeInTheDocument();
  });
});
