import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useParams } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Recorder } from '../api';
import { list, makeRecorder, SITES } from '../test/fixtures';
import { makeMe, mockFetch, renderApp } from '../test/utils';
import RecordersPage from './RecordersPage';

const PERMS = ['recorders.view', 'recorders.manage', 'sites.view', 'cameras.view'];

const RECORDERS: Recorder[] = [
  makeRecorder(),
  makeRecorder({ id: 'r2', name: 'Hikvision-Shop', manufacturer: 'hikvision', type: 'dvr', camera_count: 16, virtual_disk: null, status: 'never' }),
  makeRecorder({ id: 'r3', name: 'Porte', manufacturer: 'other', type: 'ip_camera', camera_count: 1, virtual_disk: null, status: 'offline', site_id: 's2', site_name: 'Entrepôt' }),
];

function backend(extra?: Parameters<typeof mockFetch>[0]) {
  return mockFetch((c) => {
    const r = extra?.(c);
    if (r) return r;
    if (c.url.startsWith('/api/v1/orgs/o1/recorders') && c.method === 'GET') return { body: list(RECORDERS) };
    if (c.url.startsWith('/api/v1/orgs/o1/sites') && c.method === 'GET') return { body: list(SITES) };
    return undefined;
  });
}

function WizardStub() {
  const { id } = useParams();
  return <div data-testid="wizard-page">{id}</div>;
}

const render = (permissions = PERMS) =>
  renderApp(<RecordersPage />, {
    me: makeMe({ permissions }),
    route: '/recorders',
    path: '/recorders',
    routes: [{ path: '/recorders/:id/configure', element: <WizardStub /> }],
  });

describe('RecordersPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists recorders with the guide columns, disk size and health badges', async () => {
    const { calls } = backend();
    render();
    const rows = await screen.findAllByTestId('recorder-row');
    expect(rows).toHaveLength(3);
    for (const col of ['NOM', 'FABRICANT', 'SITE', 'TYPE', 'CAMÉRAS', 'DISQUE VIRTUEL', 'ÉTAT', 'ACTIONS']) {
      expect(screen.getByRole('columnheader', { name: col })).toBeInTheDocument();
    }
    expect(within(rows[0]).getByText('House')).toBeInTheDocument();
    expect(within(rows[0]).getByText('Dahua')).toBeInTheDocument();
    expect(within(rows[0]).getByText('Recorder (NVR/DVR)')).toBeInTheDocument();
    expect(within(rows[0]).getByTestId('recorder-disk')).toHaveTextContent('150 GB');
    expect(within(rows[1]).getByTestId('recorder-disk')).toHaveTextContent('—');
    expect(within(rows[2]).getByText('Caméra IP')).toBeInTheDocument();
    expect(within(rows[2]).getByText('Autre')).toBeInTheDocument();
    const badges = screen.getAllByTestId('recorder-status');
    expect(badges.map((b) => b.textContent)).toEqual(['En ligne', 'Jamais connecté', 'Hors ligne']);
    expect(badges.map((b) => b.getAttribute('data-status'))).toEqual(['online', 'never', 'offline']);
    expect(badges[0].className).toMatch(/colorSuccess/);
    expect(badges[2].className).toMatch(/colorError/);
    expect(screen.getByTestId('recorder-add')).toHaveTextContent('AJOUTER ENREGISTREUR');
    expect(calls.find((c) => c.url.includes('/recorders'))!.url).toBe('/api/v1/orgs/o1/recorders?limit=10&offset=0');
  });

  it('adds a recorder like the guide, then CONFIGURATION opens its wizard', async () => {
    const created = makeRecorder({ id: 'new1', name: 'Test', virtual_disk: null, status: 'never', camera_count: 16 });
    const { calls } = backend((c) => (c.method === 'POST' ? { status: 201, body: created } : undefined));
    render();
    await screen.findAllByTestId('recorder-row');
    fireEvent.click(screen.getByTestId('recorder-add'));
    expect(await screen.findByText('Ajouter un enregistreur')).toBeInTheDocument();
    expect(screen.getByText("Configuration rapide et minimaliste de l'enregistreur")).toBeInTheDocument();
    for (const label of ["Nom de l'enregistreur", 'Fabricant', 'Site', "Type de l'enregistreur", 'Nombre des caméras']) {
      expect(within(screen.getByTestId('recorder-dialog')).getByLabelText(new RegExp(label))).toBeInTheDocument();
    }
    // The site defaults to the first one; the lists carry the guide's choices.
    await waitFor(() => expect(screen.getByTestId('recorder-site')).toHaveValue('s1'));
    const manufacturers = within(screen.getByTestId('recorder-manufacturer')).getAllByRole('option').map((o) => o.textContent);
    expect(manufacturers).toEqual(['Dahua', 'Hikvision', 'Uniview', 'Axis', 'Reolink', 'Autre']);
    const types = within(screen.getByTestId('recorder-type')).getAllByRole('option').map((o) => o.textContent);
    expect(types).toEqual(['Recorder (NVR/DVR)', 'DVR', 'Caméra IP']);

    fireEvent.change(screen.getByTestId('recorder-name'), { target: { value: 'Test' } });
    fireEvent.change(screen.getByTestId('recorder-type'), { target: { value: 'ip_camera' } });
    fireEvent.change(screen.getByTestId('recorder-cameras'), { target: { value: '300' } });
    fireEvent.click(screen.getByTestId('recorder-submit'));
    expect(await screen.findByText('Saisissez un nombre de caméras entre 1 et 256.')).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    fireEvent.change(screen.getByTestId('recorder-cameras'), { target: { value: '16' } });
    fireEvent.click(screen.getByTestId('recorder-submit'));
    const done = await screen.findByTestId('recorder-created');
    expect(done).toHaveTextContent('Félicitation ! Votre enregistreur a été bien créé.');
    expect(done).toHaveTextContent('Veuillez cliquer sur le bouton ci-dessous pour le configurer.');
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({
      name: 'Test',
      manufacturer: 'dahua',
      site_id: 's1',
      type: 'ip_camera',
      camera_count: 16,
    });
    fireEvent.click(screen.getByTestId('recorder-configure'));
    expect(await screen.findByTestId('wizard-page')).toHaveTextContent('new1');
  });

  it('shows server field errors in the add dialog', async () => {
    backend((c) =>
      c.method === 'POST' ? { status: 400, body: { code: 'invalid', message: 'Invalide', fields: { name: 'Ce champ est trop long.' } } } : undefined,
    );
    render();
    await screen.findAllByTestId('recorder-row');
    fireEvent.click(screen.getByTestId('recorder-add'));
    fireEvent.change(await screen.findByTestId('recorder-name'), { target: { value: 'x' } });
    await waitFor(() => expect(screen.getByTestId('recorder-site')).toHaveValue('s1'));
    fireEvent.click(screen.getByTestId('recorder-submit'));
    expect(await screen.findByText('Ce champ est trop long.')).toBeInTheDocument();
    expect(screen.queryByTestId('recorder-created')).toBeNull();
  });

  it('edits a recorder with Modifier (PATCH) and opens the wizard with Configuration', async () => {
    const { calls } = backend((c) => (c.method === 'PATCH' ? { body: makeRecorder({ name: 'Maison' }) } : undefined));
    render();
    const rows = await screen.findAllByTestId('recorder-row');
    fireEvent.click(within(rows[0]).getByTestId('recorder-edit'));
    expect(await screen.findByText("Modifier l'enregistreur")).toBeInTheDocument();
    expect(screen.getByTestId('recorder-name')).toHaveValue('House');
    expect(screen.getByTestId('recorder-cameras')).toHaveValue(8);
    fireEvent.change(screen.getByTestId('recorder-name'), { target: { value: 'Maison' } });
    fireEvent.click(screen.getByTestId('recorder-submit'));
    expect(await screen.findByText("L'enregistreur « Maison » a été modifié.")).toBeInTheDocument();
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.url).toBe('/api/v1/orgs/o1/recorders/r1');
    expect(patch.body).toMatchObject({ name: 'Maison', site_id: 's1', camera_count: 8 });

    fireEvent.click(within(screen.getAllByTestId('recorder-row')[1]).getByTestId('recorder-wizard'));
    expect(await screen.findByTestId('wizard-page')).toHaveTextContent('r2');
  });

  it('confirms a deletion and shows the 409 recorder_has_disk message', async () => {
    const msg = "Un disque virtuel est associé à cet enregistreur. Le disque virtuel doit d'abord être supprimé.";
    backend((c) => (c.method === 'DELETE' ? { status: 409, body: { code: 'recorder_has_disk', message: msg } } : undefined));
    render();
    const rows = await screen.findAllByTestId('recorder-row');
    fireEvent.click(within(rows[0]).getByTestId('recorder-delete'));
    expect(await screen.findByText("Supprimer l'enregistreur")).toBeInTheDocument();
    expect(screen.getByTestId('confirm-dialog')).toHaveTextContent('« House »');
    fireEvent.click(screen.getByTestId('confirm-delete'));
    expect(await screen.findByTestId('confirm-error')).toHaveTextContent(msg);
  });

  it('deletes a recorder without a disk', async () => {
    const { calls } = backend((c) => (c.method === 'DELETE' ? { status: 204 } : undefined));
    render();
    const rows = await screen.findAllByTestId('recorder-row');
    fireEvent.click(within(rows[1]).getByTestId('recorder-delete'));
    fireEvent.click(await screen.findByTestId('confirm-delete'));
    expect(await screen.findByText("L'enregistreur a été supprimé.")).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'DELETE')!.url).toBe('/api/v1/orgs/o1/recorders/r2');
  });

  it('filters by name and site', async () => {
    const { calls } = backend();
    render();
    await screen.findAllByTestId('recorder-row');
    fireEvent.change(screen.getByTestId('recorder-filter-name'), { target: { value: 'hou' } });
    await waitFor(() => expect(calls.some((c) => c.url === '/api/v1/orgs/o1/recorders?q=hou&limit=10&offset=0')).toBe(true));
    fireEvent.change(await screen.findByTestId('recorder-filter-site'), { target: { value: 's2' } });
    await waitFor(() => expect(calls.some((c) => c.url === '/api/v1/orgs/o1/recorders?q=hou&site_id=s2&limit=10&offset=0')).toBe(true));
  });

  it('keeps Configuration but hides add/edit/delete without recorders.manage', async () => {
    backend();
    render(['recorders.view', 'sites.view']);
    const rows = await screen.findAllByTestId('recorder-row');
    expect(screen.queryByTestId('recorder-add')).toBeNull();
    expect(within(rows[0]).queryByTestId('recorder-edit')).toBeNull();
    expect(within(rows[0]).queryByTestId('recorder-delete')).toBeNull();
    expect(within(rows[0]).getByTestId('recorder-wizard')).toBeInTheDocument();
  });
});
