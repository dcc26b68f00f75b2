// Recordings end to end (client guide §2, PLAY1–PLAY3): the demo client's footage, uploaded through
// the real FTP server by `cam2drive demo` and processed by the worker, browsed in Chromium: site,
// cameras, period (circled days) and detection filters; a clip played, its speed changed,
// picture-in-picture, the MP4 downloaded and checked with ffprobe; the timeline, previous/next, and
// a link to an event opened by a colleague after signing in. Screenshots in French and English.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { eventually, expectText, loginAPI, loginUI, newPage, screenshot, setup, tid, withPage } from './harness.mjs';
import { downloadMP4 } from './lib/media.mjs';

const env = setup({ before, after, roles: 'web,worker,ftp' });

/** The demo client: { email, password, token, org, site, cameras }. */
const demo = {};

const api = (p, opts = {}) => env.server.api('GET', p, undefined, { token: demo.token, ...opts });
const rec = (q = '') => api(`/orgs/${demo.org.id}/recordings${q}`);
/** "2026-02-05" → "05/02", as the period button writes it. */
const dm = (day) => `${day.slice(8, 10)}/${day.slice(5, 7)}`;

/** The demo data, made once for the file by the first test that needs it (after the server started). */
let made;
const ready = () => (made ??= makeDemo());

async function makeDemo() {
  Object.assign(demo, await env.server.demo({ events: 10 }));
  demo.token = await env.server.tokenFor(demo.email, demo.password);
  demo.org = (await env.server.api('GET', '/me', undefined, { token: demo.token })).org;
  demo.site = (await api(`/orgs/${demo.org.id}/sites`)).items[0];
  demo.cameras = (await api(`/orgs/${demo.org.id}/cameras?site_id=${demo.site.id}&limit=500`)).items;
  // The worker makes every upload playable (MP4, thumbnail, poster, strip) before the page is looked at.
  await eventually(
    async () => {
      const all = await rec('?limit=500');
      assert.ok(all.total > 0, 'no recordings yet');
      const waiting = all.items.filter((r) => r.status === 'processing').length;
      assert.equal(waiting, 0, `${waiting} recordings still processing`);
    },
    { timeout: 180_000, interval: 500, message: 'the demo footage was not processed' },
  );
}

/** Waits until the list's total is the API's total for the same query, and returns it. */
async function expectTotal(page, q) {
  const { total } = await rec(`${q}&limit=1`);
  await eventually(async () => assert.equal(await tid(page, 'events-total').getAttribute('data-total', { timeout: 500 }), String(total)), {
    message: `list total for ${q}`,
  });
  return total;
}

/** Opens the ⋮ menu of the player and clicks one of its items. */
async function playerMenu(page, item) {
  await tid(page, 'player-menu').click();
  await tid(page, item).click();
}

/** Sets a user's language through a session of their own (users without tokens.manage have no API token). */
async function setLanguage(email, password, language) {
  const base = `${env.server.url}/api/v1`;
  const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });
  assert.equal(login.status, 200);
  const me = await login.json();
  const headers = { Cookie: login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), 'X-CSRF-Token': me.csrf_token };
  const r = await fetch(`${base}/me/preferences`, { method: 'PATCH', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify({ language }) });
  assert.equal(r.status, 200, await r.text());
  await fetch(`${base}/auth/logout`, { method: 'POST', headers });
}

/** curl's FTP upload of a file, creating the folders as recorders do; resolves with curl's exit code. */
function ftpUpload(file, { port, username, password }, remote) {
  const url = `ftp://${encodeURIComponent(username)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${remote}`;
  return new Promise((resolve) => {
    execFile('curl', ['-sS', '--ftp-create-dirs', '-g', '--max-time', '20', '-T', file, url], (err, _out, stderr) => resolve({ code: err ? err.code : 0, stderr }));
  });
}

test(
  "the demo client filters by site, cameras, period and detections, with the guide's defaults",
  withPage(env, { locale: 'fr-FR' }, async (page) => {
    await ready();
    await env.server.api('PATCH', '/me/preferences', { language: 'fr' }, { token: demo.token });
    await page.goto('/login');
    await loginUI(page, demo.email, demo.password);
    await page.waitForURL(/\/recordings\?/);

    // Defaults: the first site, the first channel of the first device, the last day with recordings.
    const first = demo.cameras[0];
    const cal = await api(`/orgs/${demo.org.id}/recordings/calendar?site_id=${demo.site.id}&camera_ids=${first.id}`);
    assert.ok(cal.last_day, 'the first camera has recordings');
    await expectText(tid(page, 'site-select'), demo.site.name);
    await expectText(tid(page, 'camera-select'), first.name);
    await expectText(tid(page, 'period-from'), `00:00 ${dm(cal.last_day)}`);
    await expectText(tid(page, 'period-to'), `23:59 ${dm(cal.last_day)}`);
    await expectText(tid(page, 'detections-button'), 'Détections');
    const q0 = `?site_id=${demo.site.id}&camera_ids=${first.id}&from=${cal.last_day}&to=${cal.last_day}`;
    const n0 = await expectTotal(page, q0);
    await expectText(tid(page, 'events-total'), n0 === 1 ? '1 événement' : `${n0} événements`);

    // All cameras of the site.
    await tid(page, 'camera-select').click();
    await tid(page, 'camera-option-all').click();
    await page.keyboard.press('Escape');
    const ids = demo.cameras.map((c) => c.id).join(',');
    await expectTotal(page, `?site_id=${demo.site.id}&camera_ids=${ids}&from=${cal.last_day}&to=${cal.last_day}`);

    // The calendar circles the days with recordings; a period is a start, an end, then "Appliquer".
    await tid(page, 'period-button').click();
    const month = await api(`/orgs/${demo.org.id}/recordings/calendar?site_id=${demo.site.id}&camera_ids=${ids}&month=${cal.last_day.slice(0, 7)}`);
    const calendar = tid(page, 'period-calendar');
    await eventually(async () => {
      const circled = await calendar.locator('[data-available="true"]').evaluateAll((els) => els.map((e) => e.dataset.day));
      assert.deepEqual(circled, month.days);
    });
    const circle = await calendar.locator('[data-available="true"]').first().evaluate((e) => getComputedStyle(e).borderTopColor);
    assert.match(circle, /rgb\(211, 47, 47\)/, 'circled in red');
    const start = month.days[0];
    await calendar.locator(`[data-day="${start}"]`).click();
    await calendar.locator(`[data-day="${cal.last_day}"]`).click();
    assert.equal(await calendar.locator(`[data-day="${start}"]`).getAttribute('data-role'), start === cal.last_day ? 'single' : 'start');
    await screenshot(page, 'recordings-calendar-fr.png');
    await tid(page, 'period-apply').click();
    await expectText(tid(page, 'period-from'), `00:00 ${dm(start)}`);
    const nAll = await expectTotal(page, `?site_id=${demo.site.id}&camera_ids=${ids}&from=${start}&to=${cal.last_day}`);

    // More events load as the list scrolls (48 a page).
    assert.ok(nAll > 48, `the demo has more than a page of events (${nAll})`);
    await tid(page, 'events-sentinel').scrollIntoViewIfNeeded();
    await eventually(async () => assert.equal(await tid(page, 'event-card').count(), Math.min(nAll, 96)), { message: 'the next page on scroll' });

    // Detections: every type is selected by default; leaving motion out filters on the others.
    await tid(page, 'detections-button').click();
    for (const k of ['motion', 'person', 'vehicle', 'animal']) assert.ok(await tid(page, `detection-${k}`).isChecked(), k);
    await tid(page, 'detection-motion').uncheck();
    await tid(page, 'detections-apply').click();
    await expectText(tid(page, 'detections-button'), 'Détections (3/4)');
    const nNoMotion = await expectTotal(page, `?site_id=${demo.site.id}&camera_ids=${ids}&from=${start}&to=${cal.last_day}&detections=person,vehicle,animal`);
    if (nNoMotion === 0) await tid(page, 'events-empty').waitFor();
    assert.match(page.url(), /types=person%2Cvehicle%2Canimal/);
    await tid(page, 'detections-button').click();
    await tid(page, 'detections-all').click();
    await tid(page, 'detections-apply').click();
    await expectTotal(page, `?site_id=${demo.site.id}&camera_ids=${ids}&from=${start}&to=${cal.last_day}`);
    assert.doesNotMatch(page.url(), /types=/);
    // Every card of a motion event shows the motion icon.
    const motion = await rec(`?site_id=${demo.site.id}&from=${start}&to=${cal.last_day}&detections=motion&limit=500`);
    const card = tid(page, 'event-card').filter({ has: page.locator('[data-type="motion"]') });
    await eventually(async () => assert.ok((await card.count()) > 0 || motion.total === 0));
    await screenshot(page, 'recordings-list-fr.png');
  }),
);

test(
  'a clip plays, changes speed, goes picture-in-picture and downloads as an MP4',
  withPage(env, { locale: 'fr-FR' }, async (page) => {
    await ready();
    // Headless Chromium may refuse picture-in-picture: record that the page asked for it.
    await page.addInitScript(() => {
      const original = HTMLVideoElement.prototype.requestPictureInPicture;
      window.__pip = [];
      HTMLVideoElement.prototype.requestPictureInPicture = function () {
        window.__pip.push(this.currentSrc);
        return original.call(this).then(
          (w) => (window.__pip.push('entered'), w),
          (e) => (window.__pip.push(`refused: ${e.name}`), Promise.reject(e)),
        );
      };
    });
    await loginAPI(page, env.server, demo, '/recordings');
    const clip = tid(page, 'event-card').and(page.locator('[data-kind="clip"][data-status="ready"]')).first();
    const id = await clip.getAttribute('data-id');
    await clip.click();
    await page.waitForFunction(() => {
      const v = document.querySelector('[data-testid="player-video"]');
      return v && v.readyState >= 2 && v.currentTime > 0;
    });
    assert.match(page.url(), new RegExp(`event=${id}`));

    // The event's detection types under the player.
    const detail = await rec(`/${id}`);
    const types = [...new Set(detail.detections.map((d) => d.type))].sort();
    await eventually(async () => {
      const shown = await tid(page, 'player-detection').evaluateAll((els) => els.map((e) => e.dataset.type).sort());
      assert.deepEqual(shown, types);
    });

    // Playback speed from the ⋮ menu.
    await playerMenu(page, 'player-speed');
    await page.locator('[data-testid="speed-option"][data-speed="2"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="player-video"]').playbackRate === 2);
    await expectText(tid(page, 'player-rate'), '2×');

    // Keyboard: K pauses, space plays again.
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('k');
    await page.waitForFunction(() => document.querySelector('[data-testid="player-video"]').paused);
    await page.keyboard.press(' ');
    await page.waitForFunction(() => !document.querySelector('[data-testid="player-video"]').paused);

    // Picture-in-picture from the ⋮ menu.
    await playerMenu(page, 'player-pip');
    const pip = await eventually(async () => {
      const calls = await page.evaluate(() => window.__pip);
      assert.ok(calls.length >= 2, `requestPictureInPicture answered: ${JSON.stringify(calls)}`);
      return calls;
    });
    assert.match(pip[0], new RegExp(`/media/.+/${id}/video`));
    console.log(`# picture-in-picture: ${pip[1]}`);
    if (pip[1] === 'entered') {
      assert.ok(await page.evaluate(() => document.pictureInPictureElement?.dataset.testid === 'player-video'));
      await page.evaluate(() => document.exitPictureInPicture());
    }

    // Download (MP4), checked with ffprobe.
    const probe = await downloadMP4(page);
    assert.ok(Number(probe.format.duration) > 1, `duration ${probe.format.duration}`);
    await page.keyboard.press('Escape');
    await screenshot(page, 'recordings-player-fr.png');

    // Previous / next events, in the list's order (newest first).
    const order = await tid(page, 'event-card').evaluateAll((els) => els.map((e) => e.dataset.id));
    const i = order.indexOf(id);
    if (i + 1 < order.length) {
      await tid(page, 'player-prev').click();
      await eventually(async () => assert.equal(await tid(page, 'player').getAttribute('data-id'), order[i + 1]));
      await page.keyboard.press('n');
      await eventually(async () => assert.equal(await tid(page, 'player').getAttribute('data-id'), id));
    }
  }),
);

test(
  'the timeline jumps to an event, and a colleague opens a copied link after signing in (EN)',
  withPage(env, { locale: 'fr-FR' }, async (page) => {
    await ready();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.url });
    await loginAPI(page, env.server, demo, '/recordings');

    // A click on a busy hour of the strip opens the nearest event of that camera.
    const bucket = page.locator('[data-testid="timeline-bucket"]:not([data-count="0"])').first();
    await bucket.waitFor();
    await bucket.click();
    await tid(page, 'player').waitFor();
    await tid(page, 'timeline-marker').waitFor();
    const id = await tid(page, 'player').getAttribute('data-id');
    const jumped = await rec(`/${id}`);
    assert.equal(jumped.camera_id, demo.cameras[0].id);

    await tid(page, 'player-copy-link').click();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(link, `${env.server.url}/recordings?event=${id}`);

    // A colleague of the same client, with the Viewer role, in English.
    const roles = await api(`/orgs/${demo.org.id}/roles`);
    const viewer = roles.items.find((r) => r.builtin === 'viewer');
    const email = env.server.email('colleague');
    await env.server.api('POST', `/orgs/${demo.org.id}/users`, { email, role_id: viewer.id, language: 'en' }, { token: demo.token });
    const password = await env.server.activate(email);
    // The colleague prefers English (a Viewer has no API tokens: a session of its own sets it).
    await setLanguage(email, password, 'en');

    const other = await newPage(env.browser, env.server, { locale: 'en-GB' });
    // When the first event card shows, from the start of the navigation.
    await other.addInitScript(() => {
      new MutationObserver((_, obs) => {
        if (document.querySelector('[data-testid="event-card"] img')) {
          window.__firstCard = performance.now();
          obs.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    try {
      // The JavaScript the page loads, gzip-compressed (the budget is 300 KB).
      const scripts = new Map();
      other.on('response', async (r) => {
        if (r.url().endsWith('.js') && r.ok()) scripts.set(r.url(), gzipSync(await r.body()).length);
      });
      await other.goto(link);
      await other.waitForURL(/\/login\?next=/);
      await loginUI(other, email, password);
      await tid(other, 'player').waitFor();
      assert.equal(await tid(other, 'player').getAttribute('data-id'), id);
      await expectText(tid(other, 'player-camera'), jumped.camera_name);
      // The clip (or the snapshot) the link points at is loaded.
      await other.waitForFunction(() => {
        const v = document.querySelector('[data-testid="player-video"]');
        const img = document.querySelector('[data-testid="player-image"]');
        return v ? v.readyState >= 2 : !!img?.complete && img.naturalWidth > 0;
      });
      await tid(other, 'events-total').waitFor();
      await expectText(tid(other, 'detections-button'), 'Detections');
      await screenshot(other, 'recordings-en.png');
      await tid(other, 'period-button').click();
      await tid(other, 'period-calendar').waitFor();
      await screenshot(other, 'recordings-calendar-en.png');
      await other.keyboard.press('Escape');
      const gz = [...scripts.values()].reduce((a, b) => a + b, 0);
      console.log(`# recordings page JavaScript: ${scripts.size} files, ${(gz / 1024).toFixed(1)} KiB gzip`);
      assert.ok(gz < 300 * 1024, `${gz} bytes of gzip JavaScript`);

      // First meaningful paint on a warm cache: reported, not asserted (speed is for benchmarks).
      await other.reload();
      const ms = await other.waitForFunction(() => window.__firstCard).then((h) => h.jsonValue());
      console.log(`# recordings page, warm cache: first event card (with its thumbnail) after ${Math.round(ms)} ms`);
      other.assertNoErrors();
    } finally {
      await other.closeAll();
    }
  }),
);

test(
  'a clip the pipeline could not read shows as failed, with the reason',
  withPage(env, { locale: 'fr-FR' }, async (page) => {
    await ready();
    await env.server.api('PATCH', '/me/preferences', { language: 'fr' }, { token: demo.token });
    // The first camera's recorder uploads a whole MP4 whose video data is garbage (it passes the upload's
    // container check; decoding fails in the pipeline), in the folder of its last day.
    const first = demo.cameras[0];
    const last = (await rec(`?camera_ids=${first.id}&limit=1`)).items[0];
    const folder = last.source_path.slice(0, last.source_path.indexOf('/dav/') + 5);
    const conn = await api(`/orgs/${demo.org.id}/recorders/${first.recorder_id}/connection`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'c2d-bad-'));
    try {
      const file = path.join(dir, 'bad.mp4');
      await new Promise((resolve, reject) =>
        execFile('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10', '-t', '2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', file], { timeout: 60_000 }, (e) =>
          e ? reject(e) : resolve(),
        ),
      );
      const b = fs.readFileSync(file);
      for (let i = 0; i + 8 <= b.length; i += b.readUInt32BE(i)) {
        if (b.toString('latin1', i + 4, i + 8) === 'mdat') b.fill(0xff, i + 8, i + b.readUInt32BE(i));
      }
      fs.writeFileSync(file, b);
      const up = await ftpUpload(file, { port: env.server.ftpPort, username: conn.username, password: conn.password }, `${folder}23/23.58.00-23.58.02[M][0@0][0].mp4`);
      assert.equal(up.code, 0, up.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const failed = await eventually(
      async () => {
        const r = (await rec(`?camera_ids=${first.id}&limit=1`)).items[0];
        assert.equal(r.status, 'failed', `${r.source_path} is ${r.status}`);
        return r;
      },
      { timeout: 60_000, interval: 300, message: 'the cut clip was not marked failed' },
    );
    const reason = (await env.server.api('GET', `/orgs/${demo.org.id}/recordings/${failed.id}`, undefined, { token: demo.token, lang: 'fr' })).status_reason;
    assert.ok(reason, 'the API says why');

    await loginAPI(page, env.server, demo, '/recordings');
    const card = page.locator(`[data-testid="event-card"][data-id="${failed.id}"]`);
    await expectText(card.locator('[data-testid="event-failed"]'), 'Échec');
    await card.click();
    await expectText(tid(page, 'player-failed'), `Cette vidéo n'a pas pu être traitée : ${reason}`);
    await screenshot(page, 'recordings-failed-fr.png');
  }),
);
