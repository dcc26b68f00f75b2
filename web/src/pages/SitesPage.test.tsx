import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Site } from '../api';
import { resetTimezoneCache } from '../hooks/useTimezones';
import { makeMe, mockFetch, renderApp } from '../test/utils';
import SitesPage from './SitesPage';

const SITES: Site[] = [
  { id: 's1', org_id: 'o1', name: 'default site', timezone: 'Africa/Tunis', address: 'default', recorder_count: 1, created_at: '2026-01-01T00:00:00Z' },
  { id: 's2', org_id: 'o1', name: 'Site', timezone: 'UTC', address: '', recorder_count: 0, created_at: '2026-01-02T00:00:00Z' },
  { id: 's3', org_id: 'o1', name: 'Site 1', timezone: 'UTC', address: '', recorder_count: 0, created_at: '2026-01-03T00:00:00Z' },
];

function backend(extra?: Parameters<typeof mockFetch>[0]) {
  return mockFetch((c) => {
    const r = extra?.(c);
    if (r) return r;
    if (c.url.startsWith('/api/v1/orgs/o1/sites') && c.method === 'GET') {
      return { body: { items: SITES, total: SITES.length, next_cursor: '' } };
    }
    if (c.url === '/api/v1/timezones') return { body: { items: ['Africa/Tunis', 'Europe/Paris', 'UTC'] } };
    return undefined;
  });
}

describe('SitesPage', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    resetTimezoneCache();
  });

  it('renders the rows, the French columns and "Lignes par page"', async () => {
    const { calls } = backend();
    renderApp(<SitesPage />, { me: makeMe(), route: '/sites', path: '/sites' });
    const rows = await screen.findAllByTestId('site-row');
    expect(rows).toHaveLength(3);
    expect(within(rows[0]).getByText('default site')).toBeInTheDocument();
    expect(within(rows[0]).getByText('Africa/Tunis')).toBeInTheDocument();
    for (const col of ['NOM DU SITE', 'FUSEAU HORAIRE', 'ADRESSE', 'ENREGISTREURS', 'ACTIONS']) {
      expect(screen.getByText(col)).toBeInTheDocument();
    }
    expect(screen.getByText('Lignes par page:')).toBeInTheDocument();
    expect(screen.getByText('1-3 de 3')).toBeInTheDocument();
    expect(screen.getByTestId('site-add')).toHaveTextContent('AJOUTER SITE');
    expect(screen.getByLabelText('Nom du site')).toBeInTheDocument();
    // Server-side pagination with the rows-per-page preference.
    expect(calls[0].url).toBe('/api/v1/orgs/o1/sites?limit=10&offset=0');
  });

  it('passes the debounced filters as name/address query parameters', async () => {
    const { calls } = backend();
    renderApp(<SitesPage />, { me: makeMe({}, { rows_per_page: 25 }), route: '/sites', path: '/sites' });
    await screen.findAllByTestId('site-row');
    fireEvent.change(screen.getByTestId('site-filter-name'), { target: { value: 'def' } });
    fireEvent.change(screen.getByTestId('site-filter-address'), { target: { value: 'par' } });
    await waitFor(() => expect(calls.some((c) => c.url === '/api/v1/orgs/o1/sites?name=def&address=par&limit=25&offset=0')).toBe(true));
    // One request for the initial page and one after the pause, none per keystroke.
    expect(calls.filter((c) => c.url.includes('/sites')).length).toBeLessThanOrEqual(3);
  });

  it('hides add/edit/delete without sites.manage', async () => {
    backend();
    renderApp(<SitesPage />, { me: makeMe({ permissions: ['sites.view'] }), route: '/sites', path: '/sites' });
    await screen.findAllByTestId('site-row');
    expect(screen.queryByTestId('site-add')).toBeNull();
    expect(screen.queryByTestId('site-edit')).toBeNull();
    expect(screen.queryByTestId('site-delete')).toBeNull();
  });

  it('shows field errors from the server under the inputs', async () => {
    const { calls } = backend((c) =>
      c.method === 'POST'
        ? { status: 400, body: { code: 'invalid', message: 'Invalide', fields: { name: 'Ce nom existe déjà.' } } }
        : undefined,
    );
    renderApp(<SitesPage />, { me: makeMe(), route: '/sites', path: '/sites' });
    await screen.findAllByTestId('site-row');
    fireEvent.click(screen.getByTestId('site-add'));
    expect(await screen.findByText('Ajout Site')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('site-name'), { target: { value: 'Site' } });
    fireEvent.change(screen.getByTestId('site-address'), { target: { value: 'paris' } });
    fireEvent.click(screen.getByTestId('site-submit'));
    expect(await screen.findByText('Ce nom existe déjà.')).toBeInTheDocument();
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toEqual({ name: 'Site', timezone: 'UTC', address: 'paris' });
    expect(post.headers['x-csrf-token']).toBeUndefined(); // no cookie in this test; the login token is not set either
  });

  it('keeps the delete dialog open with the server message on 409 site_has_recorders', async () => {
    backend((c) =>
      c.method === 'DELETE'
        ? { status: 409, body: { code: 'site_has_recorders', message: 'Ce site contient encore des enregistreurs.' } }
        : undefined,
    );
    renderApp(<SitesPage />, { me: makeMe(), route: '/sites', path: '/sites' });
    const rows = await screen.findAllByTestId('site-row');
    fireEvent.click(within(rows[0]).getByTestId('site-delete'));
    expect(await screen.findByText('Supprimer Site')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Êtes-vous sûr de vouloir supprimer ce site. Pour que le site soit supprimé, aucun enregistreurs ne doit y être associée.',
      ),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('confirm-delete'));
    expect(await screen.findByTestId('confirm-error')).toHaveTextContent('Ce site contient encore des enregistreurs.');
    expect(screen.getByTestId('confirm-dialog')).toBeInTheDocument();
  });
});
