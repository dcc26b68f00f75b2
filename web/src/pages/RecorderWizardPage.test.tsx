import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Camera, Recorder } from '../api';
import { AI_UP, CATALOGUE, CONNECTION, HEALTH, list, makeAiSubscription, makeCameras, makeRecorder, SITES } from '../test/fixtures';
import { makeMe, mockFetch, renderApp, type Call } from '../test/utils';
import RecorderWizardPage, { stepFromQuery } from './RecorderWizardPage';
import { filterCameras } from './wizard/CamerasStep';

const ALL = ['recorders.view', 'recorders.manage', 'cameras.view', 'cameras.manage', 'sites.view'];

interface Opts {
  recorder?: Recorder;
  cameras?: Camera[];
  extra?: (c: Call) => ReturnType<Parameters<typeof mockFetch>[0]>;
}

function backend({ recorder = makeRecorder(), cameras = makeCameras(8), extra }: Opts = {}) {
  return mockFetch((c) => {
    const r = extra?.(c);
    if (r) return r;
    if (c.method !== 'GET') return undefined;
    if (c.url === '/api/v1/orgs/o1/recorders/r1') return { body: recorder };
    if (c.url === '/api/v1/orgs/o1/recorders/r1/connection') return { body: CONNECTION };
    if (c.url === '/api/v1/orgs/o1/recorders/r1/health') return { body: HEALTH };
    if (c.url.startsWith('/api/v1/orgs/o1/cameras')) return { body: list(cameras) };
    if (c.url.startsWith('/api/v1/orgs/o1/sites')) return { body: list(SITES) };
    return undefined;
  });
}

const render = (step?: number, permissions = ALL) =>
  renderApp(<RecorderWizardPage />, {
    me: makeMe({ permissions }),
    route: `/recorders/r1/configure${step ? `?step=${step}` : ''}`,
    path: '/recorders/:id/configure',
  });

describe('RecorderWizardPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reads the step from the URL', () => {
    expect(stepFromQuery(null)).toBe(1);
    expect(stepFromQuery('4')).toBe(4);
    expect(stepFromQuery('0')).toBe(1);
    expect(stepFromQuery('9')).toBe(1);
    expect(stepFromQuery('2.5')).toBe(1);
  });

  it('shows the 5 steps; clicking a step and Next/Back navigate', async () => {
    backend();
    render();
    expect(await screen.findByTestId('wizard-title')).toHaveTextContent("Détails de l'enregistreur");
    expect(screen.getByText('Étape 1')).toBeInTheDocument();
    for (let n = 1; n <= 5; n++) expect(screen.getByTestId(`wizard-step-${n}`)).toBeInTheDocument();
    expect(screen.getByTestId('wizard-back')).toBeDisabled();

    fireEvent.click(screen.getByTestId('wizard-next'));
    expect(await screen.findByText('Étape 2')).toBeInTheDocument();
    expect(screen.getByTestId('wizard-title')).toHaveTextContent('Disque virtuel');

    fireEvent.click(screen.getByTestId('wizard-step-3'));
    expect(await screen.findByText('Étape 3 (optionnel)')).toBeInTheDocument();
    expect(screen.getByTestId('wizard-title')).toHaveTextContent("Informations sur l'abonnement AI");
    expect(screen.getByTestId('ai-step')).toHaveTextContent(
      'Contactez votre revendeur pour activer un abonnement IA, qui vous permettra de consulter vos enregistrements avec les détections IA.',
    );
    fireEvent.click(screen.getByTestId('wizard-skip'));
    expect(await screen.findByText('Étape 4')).toBeInTheDocument();
    expect(screen.getByText('Configurez vos caméras : nom, sauvegarde dans le cloud et algorithmes IA utilisés.')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('wizard-skip'));
    expect(await screen.findByText('Étape 5')).toBeInTheDocument();
    expect(screen.getByTestId('wizard-title')).toHaveTextContent("Paramètres de connexion de l'enregistreur au Cloud");
    expect(screen.queryByTestId('wizard-next')).toBeNull();
    fireEvent.click(screen.getByTestId('wizard-back'));
    expect(await screen.findByText('Étape 4')).toBeInTheDocument();
  });

  it('step 1 saves the details and the retention limit (PATCH)', async () => {
    const { calls } = backend({
      extra: (c) => (c.method === 'PATCH' ? { body: makeRecorder({ name: 'Maison', retention_days: 90 }) } : undefined),
    });
    render(1);
    expect(await screen.findByTestId('retention-days')).toHaveValue(30);
    expect(
      screen.getByText('Cette option permet de définir le nombre maximum de jours de stockage des enregistrements vidéo'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Limite de conservation des enregistrements')).toBeInTheDocument();
    expect(screen.getByTestId('recorder-manufacturer')).toHaveValue('dahua');
    await waitFor(() => expect(screen.getByTestId('recorder-site')).toHaveValue('s1'));
    fireEvent.change(screen.getByTestId('retention-days'), { target: { value: '5000' } });
    fireEvent.click(screen.getByTestId('wizard-save'));
    expect(await screen.findByText('Saisissez un nombre de jours entre 0 et 3650.')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('retention-days'), { target: { value: '90' } });
    fireEvent.change(screen.getByTestId('recorder-name'), { target: { value: 'Maison' } });
    fireEvent.click(screen.getByTestId('wizard-save'));
    expect(await screen.findByText("Les détails de l'enregistreur ont été sauvegardés.")).toBeInTheDocument();
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.url).toBe('/api/v1/orgs/o1/recorders/r1');
    expect(patch.body).toEqual({ name: 'Maison', manufacturer: 'dahua', type: 'nvr', camera_count: 8, site_id: 's1', retention_days: 90 });
    expect(screen.getByTestId('wizard-recorder-name')).toHaveTextContent('Maison');
  });

  it('step 1 is read-only without recorders.manage', async () => {
    backend();
    render(1, ['recorders.view', 'cameras.view']);
    expect(await screen.findByTestId('retention-days')).toBeDisabled();
    expect(screen.queryByTestId('wizard-save')).toBeNull();
  });

  it('step 2 shows the virtual disk with its used space', async () => {
    backend();
    render(2);
    const disk = await screen.findByTestId('disk-details');
    expect(within(disk).getByTestId('disk-capacity')).toHaveTextContent('150 GB');
    expect(within(disk).getByTestId('disk-camera-limit')).toHaveTextContent('4');
    expect(within(disk).getByTestId('disk-used')).toHaveTextContent('37,5 GB sur 150 GB (25 %)');
    expect(within(disk).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '25');
    expect(within(disk).getByTestId('disk-overwrite')).toHaveTextContent('Activé');
  });

  it("step 2 without a disk gives the guide's reseller text", async () => {
    backend({ recorder: makeRecorder({ virtual_disk: null }) });
    render(2);
    const missing = await screen.findByTestId('disk-missing');
    expect(missing).toHaveTextContent('Vous devez créer un disque virtuel associé à cet appareil via votre revendeur');
    expect(missing).toHaveTextContent(
      'Contactez votre revendeur pour mettre à niveau et sécuriser vos enregistrements grâce à une sauvegarde fiable dans le cloud.',
    );
  });

  it('step 4 lists "1 : CH_1"…, filters, and saves the selected camera', async () => {
    const saved = { ...makeCameras(8)[1], name: 'Entrée', cloud_recording: true };
    const { calls } = backend({ extra: (c) => (c.method === 'PATCH' ? { body: saved } : undefined) });
    render(4);
    const items = await screen.findAllByTestId('camera-item');
    expect(items.map((i) => i.textContent)).toEqual(['1 : CH_1', '2 : CH_2', '3 : CH_3', '4 : CH_4', '5 : CH_5', '6 : CH_6', '7 : CH_7', '8 : CH_8']);
    expect(calls.find((c) => c.url.includes('/cameras'))!.url).toBe('/api/v1/orgs/o1/cameras?recorder_id=r1&limit=500');
    expect(screen.getByTestId('camera-usage')).toHaveTextContent('Enregistrement cloud : 0 caméra(s) sur 4');

    fireEvent.change(screen.getByTestId('camera-filter'), { target: { value: '2' } });
    expect(screen.getAllByTestId('camera-item').map((i) => i.textContent)).toEqual(['2 : CH_2']);
    fireEvent.click(screen.getByTestId('camera-item'));
    const form = screen.getByTestId('camera-form');
    expect(within(form).getByTestId('camera-number')).toHaveValue('2');
    expect(within(form).getByLabelText("Nom de l'enregistreur")).toHaveValue('House');
    expect(within(form).getByLabelText('Nom du site')).toHaveValue('default site');
    expect(within(form).getByText('Enregistrement cloud activé')).toBeInTheDocument();
    expect(within(form).getByText('AI activée')).toBeInTheDocument();

    fireEvent.change(screen.getByTestId('camera-name'), { target: { value: 'Entrée' } });
    fireEvent.click(screen.getByTestId('camera-cloud'));
    expect(within(form).getByText('Les Records sont activés dans le Cloud')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('camera-save'));
    expect(await screen.findByText('La caméra « Entrée » a été sauvegardée.')).toBeInTheDocument();
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.url).toBe('/api/v1/orgs/o1/cameras/c2');
    expect(patch.body).toEqual({ name: 'Entrée', cloud_recording: true, ai_enabled: false });
    expect(screen.getByTestId('camera-usage')).toHaveTextContent('1 caméra(s) sur 4');
  });

  describe('AI subscription (step 3) and per-camera AI (step 4)', () => {
    const AI_PERMS = [...ALL, 'subscriptions.view'];
    const withAi = (subs: object[], cameras = makeCameras(8)) =>
      backend({
        cameras,
        extra: (c) => {
          if (c.url === '/api/v1/ai/packages') return { body: CATALOGUE };
          if (c.url === '/api/v1/ai/status') return { body: AI_UP };
          if (c.url === '/api/v1/orgs/o1/ai-subscriptions') return { body: list(subs) };
          return undefined;
        },
      });

    it("step 3 shows the active subscription's cameras used / limit and packages, and Passer goes to step 4", async () => {
      withAi([makeAiSubscription({ id: 'old', status: 'cancelled', camera_limit: 9 }), makeAiSubscription({ camera_limit: 4, cameras_used: 1, packages: ['urban'] })]);
      render(3, AI_PERMS);
      expect(await screen.findByTestId('ai-usage')).toHaveTextContent('1 / 4');
      expect(screen.getByTestId('ai-packages')).toHaveTextContent('Environnement urbain');
      expect(screen.getByTestId('ai-next')).toHaveTextContent("Activez l'IA caméra par caméra à l'étape suivante");
      fireEvent.click(screen.getByTestId('wizard-skip'));
      expect(await screen.findByText('Étape 4')).toBeInTheDocument();
    });

    it('step 3 explains how to get a subscription when there is none', async () => {
      withAi([makeAiSubscription({ status: 'cancelled' })]);
      render(3, AI_PERMS);
      expect(await screen.findByTestId('ai-missing')).toHaveTextContent(
        'Contactez votre revendeur pour activer un abonnement IA, qui vous permettra de consulter vos enregistrements avec les détections IA.',
      );
      expect(screen.queryByTestId('ai-usage')).toBeNull();
    });

    it('step 4 keeps AI off on a camera when the subscription is full', async () => {
      withAi([makeAiSubscription({ camera_limit: 1, cameras_used: 1 })], makeCameras(2).map((c, i) => ({ ...c, ai_enabled: i === 0 })));
      render(4, AI_PERMS);
      fireEvent.click((await screen.findAllByTestId('camera-item'))[1]);
      const form = screen.getByTestId('camera-form');
      expect(await within(form).findByTestId('ai-blocked')).toHaveTextContent('utilisent déjà');
      expect(within(form).getByTestId('camera-ai')).toBeDisabled();
      fireEvent.click(screen.getAllByTestId('camera-item')[0]);
      expect(within(screen.getByTestId('camera-form')).getByTestId('camera-ai')).not.toBeDisabled();
    });
  });

  it('step 4 shows the server message of a 409 camera_limit', async () => {
    const msg = 'La limite de caméras de votre disque virtuel est atteinte : désactivez d\u2019abord une autre caméra.';
    backend({ extra: (c) => (c.method === 'PATCH' ? { status: 409, body: { code: 'camera_limit', message: msg } } : undefined) });
    render(4);
    await screen.findAllByTestId('camera-item');
    fireEvent.click(screen.getByTestId('camera-cloud'));
    fireEvent.click(screen.getByTestId('camera-save'));
    expect(await screen.findByTestId('camera-error')).toHaveTextContent(msg);
  });

  it('step 4 warns when the recorder has no disk', async () => {
    backend({ recorder: makeRecorder({ virtual_disk: null }) });
    render(4);
    expect(await screen.findByTestId('camera-no-disk')).toBeInTheDocument();
  });

  it('step 5 shows the connection settings, the docs link and the health card', async () => {
    backend();
    render(5);
    expect(await screen.findByTestId('conn-host')).toHaveValue('mwed2444.sftp.cam2drive.test');
    expect(screen.getByTestId('conn-sftp-port')).toHaveValue('4000');
    expect(screen.getByTestId('conn-ftp-port')).toHaveValue('3000');
    expect(screen.getByTestId('conn-username')).toHaveValue('X4Zk3QqPCH');
    const password = screen.getByTestId('conn-password');
    expect(password).toHaveValue('VuNv5bRCPu');
    expect(password).toHaveAttribute('type', 'password');
    fireEvent.click(screen.getByTestId('conn-password-toggle'));
    expect(password).toHaveAttribute('type', 'text');
    for (const help of [
      'Hôte du serveur FTP ou SFTP',
      "Nom d'utilisateur pour le client FTP ou SFTP",
      'Mot de passe pour le client FTP ou SFTP',
    ]) {
      expect(screen.getByText(help)).toBeInTheDocument();
    }
    expect(screen.getAllByText('Port du serveur SFTP ou FTP')).toHaveLength(2);
    expect(
      screen.getByText(
        "Pour établir la connexion de votre enregistreur vers le Cloud, veuillez copier-coller les paramètres ci-dessous dans l'interface de configuration de votre enregistreur.",
      ),
    ).toBeInTheDocument();
    const docs = screen.getByTestId('conn-docs');
    expect(docs).toHaveTextContent('DOCUMENTATION');
    expect(docs).toHaveAttribute('href', '/help/recorders/dahua?lang=fr');

    expect(await screen.findByTestId('health-status')).toHaveTextContent('En ligne');
    // In the site's time zone (default site: Africa/Tunis), the one file names are read in.
    await waitFor(() => expect(screen.getByTestId('health-last-upload')).toHaveTextContent('5 févr. 2026, 11:12:10 UTC+1'));
    expect(screen.getByTestId('health-uploads')).toHaveTextContent(/^1.234$/);
    expect(screen.getByTestId('health-failed-logins')).toHaveTextContent('2');
    expect(screen.getByTestId('health-refused-uploads')).toHaveTextContent('1');
    const problems = screen.getAllByTestId('health-problem');
    expect(problems).toHaveLength(2);
    expect(problems[0]).toHaveTextContent('Connexion refusée');
    expect(problems[0]).toHaveTextContent("Nom d'utilisateur ou mot de passe incorrect.");
    expect(problems[1]).toHaveTextContent("L'enregistrement cloud est désactivé pour cette caméra.");
    expect(problems[1]).toHaveTextContent('2026-02-05/005/dav/09/');
  });

  it('step 5 copies a value to the clipboard', async () => {
    backend();
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(5);
    await screen.findByTestId('conn-host');
    fireEvent.click(screen.getByTestId('conn-username-copy'));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('X4Zk3QqPCH'));
    expect(await screen.findByText('Copié dans le presse-papiers')).toBeInTheDocument();
  });

  it('step 5 regenerates the credentials after a confirmation', async () => {
    const fresh = { ...CONNECTION, username: 'NEWUSER123', password: 'NEWPASS456' };
    const { calls } = backend({ extra: (c) => (c.method === 'POST' ? { body: fresh } : undefined) });
    render(5);
    await screen.findByTestId('conn-host');
    fireEvent.click(screen.getByTestId('conn-regenerate'));
    const dialog = await screen.findByTestId('confirm-dialog');
    expect(dialog).toHaveTextContent('cesseront immédiatement de fonctionner');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    fireEvent.click(within(dialog).getByTestId('confirm-delete'));
    await waitFor(() => expect(screen.getByTestId('conn-username')).toHaveValue('NEWUSER123'));
    expect(screen.getByTestId('conn-password')).toHaveValue('NEWPASS456');
    expect(calls.find((c) => c.method === 'POST')!.url).toBe('/api/v1/orgs/o1/recorders/r1/connection/regenerate');
  });

  it('step 5 without recorders.manage hides the credentials but keeps the health', async () => {
    const { calls } = backend();
    render(5, ['recorders.view']);
    expect(await screen.findByTestId('health-status')).toBeInTheDocument();
    expect(screen.queryByTestId('conn-password')).toBeNull();
    expect(screen.getByText('Les paramètres de connexion sont réservés aux utilisateurs qui peuvent gérer les enregistreurs.')).toBeInTheDocument();
    expect(calls.some((c) => c.url.endsWith('/connection'))).toBe(false);
  });

  it('shows a load error with a retry', async () => {
    mockFetch(() => ({ status: 404, body: { code: 'not_found', message: 'Introuvable.' } }));
    render(1);
    expect(await screen.findByTestId('wizard-load-error')).toHaveTextContent('Introuvable.');
  });
});

describe('filterCameras', () => {
  it('matches the number exactly or the name', () => {
    const cams = makeCameras(12);
    expect(filterCameras(cams, '1').map((c) => c.number)).toEqual([1, 10, 11, 12]);
    expect(filterCameras(cams, '12').map((c) => c.number)).toEqual([12]);
    expect(filterCameras(cams, 'ch_3').map((c) => c.number)).toEqual([3]);
    expect(filterCameras(cams, '  ')).toHaveLength(12);
  });
});
