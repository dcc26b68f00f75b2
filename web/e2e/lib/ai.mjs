// Helpers of the browser tests that run the installed AI models (ai-detections, holo4): where the
// models and Debian's darknet pictures are, skipping without them (failing on CI), ffmpeg and
// curl, Dahua upload paths, and the Recordings page's detection filter and event list.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { eventually, tid } from '../harness.mjs';

export const MODELS_DIR =
  process.env.CAM2DRIVE_MODELS_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'cam2drive/models');
export const DARKNET = '/usr/share/darknet/data';

/** Skips the test without what it needs, or fails it on CI (where `make test` installs it all). */
export function need(t, ok, what) {
  if (ok) return true;
  assert.notEqual(process.env.CI, 'true', `${what} (CI must have it: make test installs it)`);
  t.skip(what);
  return false;
}

/** Runs a command, resolving to its stdout; its stderr goes into the error. */
export function sh(cmd, args, timeout = 120_000) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd} failed: ${err.message}\n${stderr}`)) : resolve(stdout)));
  });
}

/** The parts of a time in a zone: { day: "2026-02-05", h, m, s } (two digits each). */
function local(date, tz) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return { day: `${parts.year}-${parts.month}-${parts.day}`, h: parts.hour, m: parts.minute, s: parts.second };
}

/** Dahua paths of a clip (start–end, in the site's zone tz) and of a snapshot taken at the same second, channel 1. */
export function dahuaPaths({ serial, tz, start, seconds }) {
  const a = local(start, tz);
  const b = local(new Date(start.getTime() + seconds * 1000), tz);
  const base = `cam2drive/${serial}/${a.day}/001`;
  return {
    clip: `${base}/dav/${a.h}/${a.h}.${a.m}.${a.s}-${b.h}.${b.m}.${b.s}[M][0@0][0].mp4`,
    snapshot: `${base}/jpg/${a.h}/${a.m}/${a.s}[F][0@0][0].jpg`,
  };
}

/** curl's FTP upload, creating the folders as recorders do. */
export async function ftpUpload(file, { port, username, password }, remote) {
  const url = `ftp://${encodeURIComponent(username)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${remote}`;
  await sh('curl', ['-sS', '--ftp-create-dirs', '-g', '--max-time', '30', '-T', file, url], 40_000);
}

/**
 * Opens the detection filter, keeps only the given types (basic ones or HOLO4 algorithms: their
 * packages are unfolded first), applies. `before(popover)` runs once they are checked.
 */
export async function filterTypes(page, types, { before } = {}) {
  await tid(page, 'detections-button').click();
  const pop = tid(page, 'detections-popover');
  await pop.locator('[data-testid="detections-none"]').click();
  const folded = pop.locator('[data-testid^="detection-expand-"][aria-expanded="false"]');
  while ((await folded.count()) > 0) await folded.first().click();
  for (const k of types) await pop.locator(`[data-testid="detection-${k}"]`).check();
  if (before) await before(pop);
  await pop.locator('[data-testid="detections-apply"]').click();
  await pop.waitFor({ state: 'hidden' });
}

/** The ids of the event cards listed, once the list shows n of them. */
export async function listed(page, n) {
  return eventually(async () => {
    const ids = await tid(page, 'event-card').evaluateAll((els) => els.map((e) => e.dataset.id));
    assert.equal(ids.length, n, `${ids.length} cards: ${ids}`);
    return ids.sort();
  });
}

/**
 * A French client with a site (timezone tz), a 1-camera Dahua NVR on it with a 50 GB virtual disk,
 * an active AI subscription for one camera (packages, when given), and that camera recording to the
 * cloud with the settings in camera (its name, ai_enabled...). Returns the client with them.
 */
export async function aiClient(server, { tz, site, recorder, camera, packages }) {
  const client = await server.client({ language: 'fr' });
  const org = client.org.id;
  const as = { token: client.token };
  const installer = { token: client.installer.token, expect: 201 };
  const s = await server.api('POST', `/orgs/${org}/sites`, { name: site, timezone: tz }, as);
  const r = await server.api('POST', `/orgs/${org}/recorders`, { name: recorder, manufacturer: 'dahua', site_id: s.id, type: 'nvr', camera_count: 1 }, as);
  await server.api('POST', `/orgs/${org}/virtual-disks`, { capacity_gb: 50, camera_limit: 1, recorder_id: r.id, overwrite: true }, installer);
  const sub = await server.api('POST', `/orgs/${org}/ai-subscriptions`, { camera_limit: 1, ...(packages && { packages }) }, installer);
  assert.equal(sub.status, 'active');
  const [first] = (await server.api('GET', `/orgs/${org}/cameras?recorder_id=${r.id}`, undefined, as)).items;
  const cam = await server.api('PATCH', `/orgs/${org}/cameras/${first.id}`, { cloud_recording: true, ...camera }, as);
  return { ...client, site: s, recorder: r, camera: cam, subscription: sub };
}
