import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Camera, User } from '../api';
import { AI_UP, CATALOGUE, list, makeAiSubscription, makeCameras } from '../test/fixtures';
import { makeMe, mockFetch, renderApp } from '../test/utils';
import CamerasPage, { numberFilter } from './CamerasPage';

const ALL = ['cameras.view', 'cameras.manage', 'users.view'];

const CAMERAS: Camera[] = [
  ...makeCameras(2, { recorder_id: 'r2', recorder_name: 'Hikvision-Shop' }).map((c) => ({ ...c, id: `h${c.number}` })),
  { ...makeCameras(1)[0], cloud_recording: true, ai_enabled: true, allowed_users: ['u2'] },
];

const USERS: User[] = [
  { id: 'u1', org_id: 'o1', email: 'alice@example.com', name: 'Alice', role_id: 'r', role_name: 'Admin', status: 'active', created_at: '2026-01-01T00:00:00Z' },
  { id: 'u2', org_id: 'o1', email: 'bob@example.com', name: 'Bob', role_id: 'r', role_name: 'Viewer', status: 'active', created_at: '2026-01-01T00:00:00Z' },
];

function backend(extra?: Parameters<typeof mockFetch>[0]) {
  return mockFetch((c) => {
    const r = extra?.(c);
    if (r) return r;
    if (c.method === 'GET' && c.url.startsWith('/api/v1/orgs/o1/cameras')) return { body: list(CAMERAS) };
    if (c.method === 'GET' && c.url.startsWith('/api/v1/orgs/o1/users')) return { body: list(USERS) };
    return undefined;
  });
}

const render = (permissions = ALL) => renderApp(<CamerasPage />, { me: makeMe({ permissions }), route: '/cameras', path: '/cameras' });

describe('CamerasPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("shows the guide's filters, columns and pagination", async () => {
    const { calls } = backend();
    render();
    const rows = await screen.findAllByTestId('camera-row');
    expect(rows).toHaveLength(3);
    for (const label of ['Nom', 'Caméra Num', "Nom de l'enregistreur", 'Nom du site']) {
      expect(screen.getByLabelText(label)).toBeInTheDocument();
    }
    for (const col of ['NOM DU CAMÉRA', 'NUMÉRO', "NOM DE L'ENREGISTREUR", 'NOM DU SITE', 'ACTIONS']) {
      expect(screen.getByRole('columnheader', { name: col })).toBeInTheDocument();
    }
    expect(within(rows[0]).getByText('CH_1')).toBeInTheDocument();
    expect(within(rows[0]).getByText('Hikvision-Shop')).toBeInTheDocument();
    expect(within(rows[0]).getByText('default site')).toBeInTheDocument();
    expect(within(rows[2]).getByTestId('camera-cloud-on')).toBeInTheDocument();
    expect(within(rows[2]).getByTestId('camera-ai-on')).toBeInTheDocument();
    expect(within(rows[0]).queryByTestId('camera-cloud-on')).toBeNull();
    expect(screen.getByText('Lignes par page:')).toBeInTheDocument();
    expect(calls.find((c) => c.url.includes('/cameras'))!.url).toBe('/api/v1/orgs/o1/cameras?limit=10&offset=0');
  });

  it('sends the filters as name, number, recorder_name and site_name', async () => {
    const { calls } = backend();
    render();
    await screen.findAllByTestId('camera-row');
    fireEvent.change(screen.getByTestId('camera-filter-name'), { target: { value: 'CH' } });
    fireEvent.change(screen.getByTestId('camera-filter-number'), { target: { value: '2' } });
    fireEvent.change(screen.getByTestId('camera-filter-recorder'), { target: { value: 'Shop' } });
    fireEvent.change(screen.getByTestId('camera-filter-site'), { target: { value: 'default' } });
    await waitFor(() =>
      expect(calls.some((c) => c.url === '/api/v1/orgs/o1/cameras?name=CH&number=2&recorder_name=Shop&site_name=default&limit=10&offset=0')).toBe(true),
    );
    // Debounced: not one request per keystroke.
    expect(calls.filter((c) => c.url.includes('/cameras')).length).toBeLessThanOrEqual(3);
  });

  it('edits a camera: name, cloud, AI and allowed users (PATCH with allowed_users)', async () => {
    const { calls } = backend((c) => (c.method === 'PATCH' ? { body: { ...CAMERAS[2], name: 'Entrée' } } : undefined));
    render();
    const rows = await screen.findAllByTestId('camera-row');
    fireEvent.click(within(rows[2]).getByTestId('camera-edit'));
    const dialog = await screen.findByTestId('camera-dialog');
    expect(within(dialog).getByText('Modifier la caméra')).toBeInTheDocument();
    expect(within(dialog).getByTestId('camera-name')).toHaveValue('CH_1');
    expect(within(dialog).getByTestId('camera-cloud')).toBeChecked();
    expect(within(dialog).getByTestId('camera-ai')).toBeChecked();
    expect(within(dialog).getByLabelText('Utilisateurs autorisés')).toBe(within(dialog).getByTestId('camera-users'));
    expect(
      within(dialog).getByText('Laissez vide pour que tous les utilisateurs ayant la permission de voir les enregistrements aient accès à cette caméra.'),
    ).toBeInTheDocument();
    // Bob is already allowed; add Alice from the list.
    await waitFor(() => expect(within(dialog).getByText('Bob')).toBeInTheDocument());
    const input = within(dialog).getByTestId('camera-users');
    fireEvent.mouseDown(input);
    fireEvent.click(await screen.findByRole('option', { name: 'Alice (alice@example.com)' }));

    fireEvent.change(within(dialog).getByTestId('camera-name'), { target: { value: 'Entrée' } });
    fireEvent.click(within(dialog).getByTestId('camera-ai'));
    fireEvent.click(within(dialog).getByTestId('camera-save'));
    expect(await screen.findByText('La caméra « Entrée » a été modifiée.')).toBeInTheDocument();
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.url).toBe('/api/v1/orgs/o1/cameras/c1');
    expect(patch.body).toEqual({ name: 'Entrée', cloud_recording: true, ai_enabled: false, allowed_users: ['u2', 'u1'] });
  });

  it('shows the 409 no_disk message in the dialog', async () => {
    const msg = "Cet enregistreur n'a pas de disque virtuel. Contactez votre revendeur pour en obtenir un.";
    backend((c) => (c.method === 'PATCH' ? { status: 409, body: { code: 'no_disk', message: msg } } : undefined));
    render();
    const rows = await screen.findAllByTestId('camera-row');
    fireEvent.click(within(rows[0]).getByTestId('camera-edit'));
    const dialog = await screen.findByTestId('camera-dialog');
    fireEvent.click(within(dialog).getByTestId('camera-cloud'));
    fireEvent.click(within(dialog).getByTestId('camera-save'));
    expect(await within(dialog).findByTestId('camera-error')).toHaveTextContent(msg);
  });

  it('leaves allowed_users alone when the users cannot be listed', async () => {
    const { calls } = backend((c) => (c.method === 'PATCH' ? { body: CAMERAS[0] } : undefined));
    render(['cameras.view', 'cameras.manage']);
    const rows = await screen.findAllByTestId('camera-row');
    fireEvent.click(within(rows[0]).getByTestId('camera-edit'));
    expect(await screen.findByTestId('camera-users-unavailable')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('camera-save'));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    expect(calls.find((c) => c.method === 'PATCH')!.body).not.toHaveProperty('allowed_users');
    expect(calls.some((c) => c.url.includes('/users'))).toBe(false);
  });

  describe('AI and the HOLO4 beta', () => {
    const AI_PERMS = [...ALL, 'subscriptions.view'];
    const ai = (sub: object | null, status = AI_UP) =>
      backend((c) => {
        if (c.url === '/api/v1/ai/packages') return { body: CATALOGUE };
        if (c.url === '/api/v1/ai/status') return { body: status };
        if (c.url === '/api/v1/orgs/o1/ai-subscriptions') return { body: list(sub ? [sub] : []) };
        if (c.method === 'PATCH') return { body: { ...CAMERAS[0], ...(c.body as object) } };
        return undefined;
      });

    it('joins the beta and chooses algorithms of the subscription\'s packages, counted "1/2"', async () => {
      const { calls } = ai(makeAiSubscription({ packages: ['construction_site', 'urban'], cameras_used: 0 }));
      render(AI_PERMS);
      const rows = await screen.findAllByTestId('camera-row');
      fireEvent.click(within(rows[0]).getByTestId('camera-edit'));
      const dialog = await screen.findByTestId('camera-dialog');
      await waitFor(() => expect(within(dialog).getByTestId('ai-usage')).toHaveTextContent('IA : 0 caméra(s) sur 2 autorisée(s)'));
      expect(within(dialog).queryByTestId('ai-unavailable')).toBeNull();
      fireEvent.click(within(dialog).getByTestId('camera-ai'));
      expect(within(dialog).getByTestId('holo4-section')).toHaveTextContent('Participez à la BETA HOLO4');
      expect(within(dialog).getByTestId('holo4-section')).toHaveTextContent(
        "Activez les nouveaux algorithmes gratuitement et construisons ensemble l'avenir de la vidéosurveillance intelligente.",
      );
      expect(within(dialog).queryByTestId('holo4-packages')).toBeNull();
      fireEvent.click(within(dialog).getByLabelText('Rejoindre la bêta HOLO4'));
      expect(within(dialog).getByTestId('holo4-package-construction_site')).toHaveTextContent('Chantier de construction');
      expect(within(dialog).queryByTestId('holo4-package-fun_at_work')).toBeNull();
      fireEvent.click(within(dialog).getByLabelText("Détection de la présence d'un taxi jaune"));
      fireEvent.click(within(dialog).getByTestId('holo4-package-box-construction_site'));
      expect(within(dialog).getByTestId('holo4-count-construction_site')).toHaveTextContent('2/2');
      fireEvent.click(within(dialog).getByLabelText("Détection d'absence de gilet haute visibilité"));
      expect(within(dialog).getByTestId('holo4-count-construction_site')).toHaveTextContent('1/2');
      expect(within(dialog).getByTestId('holo4-count-urban')).toHaveTextContent('1/2');
      fireEvent.click(within(dialog).getByTestId('camera-save'));
      await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
      expect(calls.find((c) => c.method === 'PATCH')!.body).toEqual({
        name: 'CH_1',
        cloud_recording: false,
        ai_enabled: true,
        holo4: true,
        algorithms: ['no_helmet', 'yellow_taxi'],
        allowed_users: [],
      });
    });

    it('keeps AI off with the reason when there is no subscription or it is full, and says when AI is unavailable', async () => {
      const down = { available: false, reason_code: 'ai_runtime_missing', reason: "Le moteur d'IA n'est pas installé.", install: 'Demandez à votre administrateur.' };
      ai(makeAiSubscription({ camera_limit: 1, cameras_used: 1 }), down as typeof AI_UP);
      render(AI_PERMS);
      const rows = await screen.findAllByTestId('camera-row');
      fireEvent.click(within(rows[0]).getByTestId('camera-edit'));
      const dialog = await screen.findByTestId('camera-dialog');
      expect(await within(dialog).findByTestId('ai-blocked')).toHaveTextContent('Les 1 caméra(s) de votre abonnement IA utilisent déjà');
      expect(within(dialog).getByTestId('camera-ai')).toBeDisabled();
      expect(within(dialog).getByTestId('ai-unavailable')).toHaveTextContent("IA indisponibleLe moteur d'IA n'est pas installé. Demandez à votre administrateur.");
    });

    it('lets a camera already using AI change under a full subscription', async () => {
      ai(makeAiSubscription({ camera_limit: 1, cameras_used: 1 }));
      render(AI_PERMS);
      const rows = await screen.findAllByTestId('camera-row');
      fireEvent.click(within(rows[2]).getByTestId('camera-edit'));
      const dialog = await screen.findByTestId('camera-dialog');
      await waitFor(() => expect(within(dialog).getByTestId('ai-usage')).toHaveTextContent('1 caméra(s) sur 1'));
      expect(within(dialog).getByTestId('camera-ai')).toBeChecked();
      expect(within(dialog).getByTestId('camera-ai')).not.toBeDisabled();
      expect(within(dialog).queryByTestId('ai-blocked')).toBeNull();
    });

    it('explains that there is no AI subscription', async () => {
      ai(null);
      render(AI_PERMS);
      const rows = await screen.findAllByTestId('camera-row');
      fireEvent.click(within(rows[0]).getByTestId('camera-edit'));
      const dialog = await screen.findByTestId('camera-dialog');
      expect(await within(dialog).findByTestId('ai-blocked')).toHaveTextContent('Aucun abonnement IA actif : contactez votre revendeur');
      expect(within(dialog).getByTestId('camera-ai')).toBeDisabled();
    });
  });

  it('hides Modifier without cameras.manage', async () => {
    backend();
    render(['cameras.view']);
    await screen.findAllByTestId('camera-row');
    expect(screen.queryByTestId('camera-edit')).toBeNull();
    expect(screen.queryByRole('columnheader', { name: 'ACTIONS' })).toBeNull();
  });
});

describe('numberFilter', () => {
  it('keeps only a camera number', () => {
    expect(numberFilter(' 12 ')).toBe('12');
    expect(numberFilter('0')).toBe('');
    expect(numberFilter('-1')).toBe('');
    expect(numberFilter('1.5')).toBe('');
    expect(numberFilter('abc')).toBe('');
  });
});
