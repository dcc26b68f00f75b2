// Test data for the recorder, wizard, camera and recordings pages.
import type { AiCatalogue, AiStatus, AiSubscription, Camera, Connection, Health, Recorder, Recording, Site } from '../api';

export const SITES: Site[] = [
  { id: 's1', org_id: 'o1', name: 'default site', timezone: 'Africa/Tunis', address: '', recorder_count: 1, created_at: '2026-01-01T00:00:00Z' },
  { id: 's2', org_id: 'o1', name: 'Entrepôt', timezone: 'Europe/Paris', address: '', recorder_count: 0, created_at: '2026-01-02T00:00:00Z' },
];

export function makeRecorder(over: Partial<Recorder> = {}): Recorder {
  return {
    id: 'r1',
    org_id: 'o1',
    site_id: 's1',
    site_name: 'default site',
    name: 'House',
    manufacturer: 'dahua',
    type: 'nvr',
    camera_count: 8,
    retention_days: 30,
    virtual_disk: { id: 'd1', capacity_gb: 150, camera_limit: 4, used_bytes: 37_500_000_000, overwrite: true },
    status: 'online',
    created_at: '2026-01-05T10:00:00Z',
    ...over,
  };
}

export function makeCameras(n: number, over: Partial<Camera> = {}): Camera[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `c${i + 1}`,
    recorder_id: 'r1',
    recorder_name: 'House',
    site_id: 's1',
    site_name: 'default site',
    number: i + 1,
    name: `CH_${i + 1}`,
    cloud_recording: false,
    ai_enabled: false,
    holo4: false,
    algorithms: [],
    allowed_users: [],
    ...over,
  }));
}

export const CONNECTION: Connection = {
  host: 'mwed2444.sftp.cam2drive.test',
  ftp_port: 3000,
  sftp_port: 4000,
  username: 'X4Zk3QqPCH',
  password: 'VuNv5bRCPu',
  docs_url: '/help/recorders/dahua?lang=fr',
};

export const HEALTH: Health = {
  status: 'online',
  last_upload_at: '2026-02-05T10:12:10Z',
  last_login_at: '2026-02-05T10:12:00Z',
  uploads: 1234,
  failed_logins: 2,
  refused_uploads: 1,
  recent: [
    { kind: 'login_failed', reason: 'wrong_password', message: "Nom d'utilisateur ou mot de passe incorrect.", path: '', ip: '203.0.113.7', at: '2026-02-05T09:00:00Z' },
    {
      kind: 'refused',
      reason: 'channel_disabled',
      message: "L'enregistrement cloud est désactivé pour cette caméra.",
      path: '2026-02-05/005/dav/09/09.00.00-09.01.00[M][0@0][0].dav',
      ip: '203.0.113.7',
      at: '2026-02-05T09:01:00Z',
    },
  ],
};

export const list = <T>(items: T[], total = items.length) => ({ items, total, next_cursor: '' });

/** The HOLO4 catalogue as GET /ai/packages answers it (a French user). */
export const CATALOGUE: AiCatalogue = {
  version: '2026-08-21',
  packages: [
    {
      id: 'construction_site',
      name: 'Chantier de construction',
      names: { en: 'Construction site', fr: 'Chantier de construction' },
      algorithms: [
        { id: 'no_helmet', name: "Détection d'absence de casque", names: { en: 'No helmet detection', fr: "Détection d'absence de casque" } },
        {
          id: 'no_vest',
          name: "Détection d'absence de gilet haute visibilité",
          names: { en: 'No high-visibility vest detection', fr: "Détection d'absence de gilet haute visibilité" },
        },
      ],
    },
    {
      id: 'fun_at_work',
      name: 'Moments drôles au travail',
      names: { en: 'Fun moments at work', fr: 'Moments drôles au travail' },
      algorithms: [
        { id: 'coffee', name: "Détection de café chez un employé", names: { en: 'Employee coffee detection', fr: "Détection de café chez un employé" } },
        { id: 'friendly_mood', name: "Détection d'une humeur amicale", names: { en: 'Friendly mood detection', fr: "Détection d'une humeur amicale" } },
        { id: 'headphones', name: "Détection de la présence d'un casque audio", names: { en: 'Headphones detection', fr: "Détection de la présence d'un casque audio" } },
      ],
    },
    {
      id: 'urban',
      name: 'Environnement urbain',
      names: { en: 'Urban environment', fr: 'Environnement urbain' },
      algorithms: [
        {
          id: 'no_helmet_two_wheeler',
          name: "Détection d'absence de casque (deux-roues)",
          names: { en: 'No helmet detection (two-wheelers)', fr: "Détection d'absence de casque (deux-roues)" },
        },
        { id: 'yellow_taxi', name: "Détection de la présence d'un taxi jaune", names: { en: 'Yellow taxi detection', fr: "Détection de la présence d'un taxi jaune" } },
      ],
    },
  ],
};

export const AI_UP: AiStatus = { available: true, reason_code: '', reason: '', install: '' };

export function makeAiSubscription(over: Partial<AiSubscription> = {}): AiSubscription {
  return {
    id: 'ai1',
    org_id: 'o1',
    status: 'active',
    camera_limit: 2,
    cameras_used: 1,
    packages: ['construction_site', 'fun_at_work', 'urban'],
    created_at: '2026-01-05T10:00:00Z',
    ...over,
  };
}

/**
 * A recording as the API answers it: event i of 5 February 2026 (one a minute back from 11:00
 * UTC), a 30 s clip of camera c1, its media URLs signed "a" and valid until 2099.
 */
export function makeRecording(i: number, over: Partial<Recording> = {}): Recording {
  const start = new Date(Date.UTC(2026, 1, 5, 11, 0, 0) - i * 60_000).toISOString();
  const url = (v: string) => `/media/o1/e${i}/${v}?sig=a`;
  return {
    id: `e${i}`,
    camera_id: 'c1',
    camera_name: 'CH_1',
    site_id: 's1',
    site_name: 'default site',
    recorder_id: 'rA',
    start,
    end: new Date(Date.parse(start) + 30_000).toISOString(),
    kind: 'clip',
    event_type: 'VideoMotion',
    status: 'ready',
    size: 1000,
    source_path: 'x.dav',
    duration_ms: 30_000,
    width: 1280,
    height: 720,
    detection_types: ['person'],
    media: {
      video_url: url('video'),
      image_url: '',
      thumbnail_url: url('thumbnail'),
      poster_url: '',
      strip_url: url('strip'),
      download_url: url('download'),
      download_filename: `CH_1_e${i}.mp4`,
      expires_at: '2099-01-01T00:00:00Z',
    },
    ...over,
  };
}
