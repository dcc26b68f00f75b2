// Test data for the recorder, wizard and camera pages.
import type { Camera, Connection, Health, Recorder, Site } from '../api';

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
