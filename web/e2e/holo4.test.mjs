// The HOLO4 beta end to end with the real models (issue 5, client guide §2.5, §3.1.4): a client
// whose AI subscription includes the construction site and urban packages turns AI on for a
// camera in Chromium, joins the HOLO4 beta and chooses "no vest", "yellow taxi" and "no helmet
// (two-wheelers)", saves. Two Dahua-named clips go up over the real FTP server: Debian's darknet
// dog.jpg with its white pick-up painted yellow (as internal/analysis's TestHOLO4YellowTaxiRealDetector
// paints it, here with ffmpeg's geq), and person.jpg (a woman in a blue jacket, no vest). The
// worker's detector and pose model find a yellow taxi in the first, no vest in the second, and no
// helmetless rider in either. On the Recordings page: the events' icons named after the
// algorithms, the filter's packages with counts like "1/2", each algorithm keeping its event only,
// one that found nothing keeping none, and the player's boxes labelled with the algorithm.
// Screenshots in French and English.
//
// Needs the models (`make models`, or CAM2DRIVE_MODELS_DIR) and the darknet pictures
// (scripts/install-deps.sh): skipped without them, failed without them when CI=true.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { eventually, expectText, loginAPI, screenshot, setup, tid, withPage } from './harness.mjs';
import { DARKNET, MODELS_DIR, aiClient, dahuaPaths, filterTypes, ftpUpload, listed, need, sh } from './lib/ai.mjs';

const SERIAL = '6G0B3F1PAZ00077';
const TZ = 'Europe/Paris';
/** The pick-up in dog.jpg (768×576), x0, y0, x1, y1 in pixels, as the Go test has it. */
const CAR = [470, 80, 680, 158];
/** The pick-up's box as a fraction of the picture (hand-checked, from the Go test). */
const CAR_BOX = [468 / 768, 78 / 576, 214 / 768, 90 / 576];
/** The woman of person.jpg (640×424), from the Go test. */
const WOMAN_BOX = [192 / 640, 100 / 424, 80 / 640, 275 / 424];
const CHOSEN = ['no_vest', 'no_helmet_two_wheeler', 'yellow_taxi'];

const env = setup({ before, after, roles: 'web,worker,ftp', modelsDir: fs.existsSync(MODELS_DIR) ? MODELS_DIR : '' });

/** Skips (or fails on CI) without the darknet pictures or the models; true when all is there. */
async function haveModels(t) {
  if (!need(t, fs.existsSync(path.join(DARKNET, 'dog.jpg')), `no darknet pictures in ${DARKNET} (apt-get install darknet)`)) return false;
  const status = await env.server.api('GET', '/ai/status');
  return need(t, status.available, `AI unavailable on the test server (${status.reason_code}): run make models or set CAM2DRIVE_MODELS_DIR`);
}

/**
 * A darknet picture as a 3 s 25 fps H.264 clip, encoded as the Go test encodes it. With `paintCar`,
 * dog.jpg's pick-up is painted yellow as yellowTaxiClip does: in CAR, the bright grey pixels
 * (HSV saturation < 0.15, value > 0.78) keep their red, lose 15 % of their green and 55 % of
 * their blue, their shading kept.
 */
async function pictureClip(dir, name, { paintCar = false } = {}) {
  const out = path.join(dir, name.replace('.jpg', '.mp4'));
  const vf = ['format=gbrp'];
  if (paintCar) {
    const mx = 'max(max(r(X,Y),g(X,Y)),b(X,Y))';
    const mn = 'min(min(r(X,Y),g(X,Y)),b(X,Y))';
    const inCar = `between(X,${CAR[0]},${CAR[2] - 1})*between(Y,${CAR[1]},${CAR[3] - 1})`;
    const grey = `${inCar}*gt(${mx},0.78*255)*lt(${mx}-${mn},0.15*${mx})`;
    vf.push(`geq=r='r(X,Y)':g='if(${grey},trunc(g(X,Y)*0.85),g(X,Y))':b='if(${grey},trunc(b(X,Y)*0.45),b(X,Y))'`);
  }
  vf.push('format=yuv420p');
  await sh('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-loop', '1', '-framerate', '25', '-t', '3', '-i', path.join(DARKNET, name),
    '-vf', vf.join(','), '-r', '25', '-g', '25', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '15', '-movflags', '+faststart', out]);
  return out;
}

/** Intersection over union of two [x, y, w, h] boxes. */
function iou(a, b) {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / (a[2] * a[3] + b[2] * b[3] - w * h);
}

/** The client, a 1-camera Dahua NVR on a site, and an AI subscription with two HOLO4 packages. */
async function makeClient() {
  const { server } = env;
  const client = await aiClient(server, { tz: TZ, site: 'Chantier Gare Sud', recorder: 'NVR Chantier', camera: { name: 'Entrée chantier' }, packages: ['construction_site', 'urban'] });
  assert.deepEqual([...client.subscription.packages].sort(), ['construction_site', 'urban']);
  assert.equal(client.camera.ai_enabled, false);
  return client;
}

/** What the first test built and found, for the Recordings tests after it. */
let found;

test(
  'the client joins the HOLO4 beta in the camera settings and the real models find its algorithms in clips uploaded over FTP',
  withPage(env, { locale: 'fr-FR' }, async (page, t) => {
    if (!(await haveModels(t))) return;
    const { server } = env;
    const c = await makeClient();
    const org = c.org.id;
    const as = { token: c.token };

    // Mes caméras → the camera's settings: AI on, "Rejoindre la bêta HOLO4", three algorithms.
    await loginAPI(page, server, c, '/cameras');
    const row = tid(page, 'camera-row').filter({ has: page.getByText(c.camera.name, { exact: true }) });
    await row.locator('[data-testid="camera-edit"]').click();
    const dialog = tid(page, 'camera-dialog');
    await dialog.waitFor();
    assert.equal(await dialog.locator('[data-testid="ai-unavailable"]').count(), 0, 'the models run: no "AI unavailable"');
    await dialog.locator('[data-testid="camera-ai"]').check();
    await expectText(dialog.locator('[data-testid="holo4-section"]'), 'Rejoindre la bêta HOLO4');
    await dialog.locator('[data-testid="camera-holo4"]').check();
    await expectText(dialog.locator('[data-testid="holo4-package-urban"]'), 'Environnement urbain');
    assert.equal(await dialog.locator('[data-testid="holo4-package-fun_at_work"]').count(), 0, 'fun at work is not in the subscription');
    await dialog.getByLabel('Détection de la présence d\'un taxi jaune').check();
    await dialog.getByLabel("Détection d'absence de gilet haute visibilité").check();
    await dialog.getByLabel('Détection d\'absence de casque (deux-roues)').check();
    await expectText(dialog.locator('[data-testid="holo4-count-urban"]'), '2/2');
    await expectText(dialog.locator('[data-testid="holo4-count-construction_site"]'), '1/2');
    await screenshot(page, 'holo4-camera-join-fr.png');
    await dialog.locator('[data-testid="camera-save"]').click();
    await dialog.waitFor({ state: 'hidden' });
    const saved = await server.api('GET', `/orgs/${org}/cameras/${c.camera.id}`, undefined, as);
    assert.deepEqual([saved.ai_enabled, saved.holo4, [...saved.algorithms].sort()], [true, true, [...CHOSEN].sort()]);

    // The recorder uploads the two clips over FTP, four minutes apart.
    const conn = await server.api('GET', `/orgs/${org}/recorders/${c.recorder.id}/connection`, undefined, as);
    const ftp = { port: server.ftpPort, username: conn.username, password: conn.password };
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'c2d-holo4-'));
    try {
      const taxi = await pictureClip(tmp, 'dog.jpg', { paintCar: true });
      const woman = await pictureClip(tmp, 'person.jpg');
      const now = Date.now();
      await ftpUpload(taxi, ftp, dahuaPaths({ serial: SERIAL, tz: TZ, start: new Date(now - 10 * 60_000), seconds: 3 }).clip);
      await ftpUpload(woman, ftp, dahuaPaths({ serial: SERIAL, tz: TZ, start: new Date(now - 6 * 60_000), seconds: 3 }).clip);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }

    // The worker: playable clips, the detector's objects, then the chosen algorithms' rules.
    const one = (id) => server.api('GET', `/orgs/${org}/recordings/${id}`, undefined, as);
    const holo4 = (r, type) => r.detections.filter((d) => d.source === 'holo4' && (!type || d.type === type));
    const recs = await eventually(
      async () => {
        const { items } = await server.api('GET', `/orgs/${org}/recordings?site_id=${c.site.id}&limit=10`, undefined, as);
        assert.equal(items.length, 2, `${items.length} recordings`);
        // Oldest first: the taxi, then the woman.
        const [taxi, woman] = await Promise.all([...items].sort((a, b) => a.start.localeCompare(b.start)).map((r) => one(r.id)));
        assert.ok(holo4(taxi, 'yellow_taxi').length, `the taxi's clip: no yellow_taxi yet (${JSON.stringify(taxi.detections)})`);
        assert.ok(holo4(woman, 'no_vest').length, `the woman's clip: no no_vest yet (${JSON.stringify(woman.detections)})`);
        return { taxi, woman };
      },
      { timeout: 180_000, interval: 1000, message: 'the clips were not analysed into yellow_taxi and no_vest detections' },
    );
    const { taxi, woman } = recs;
    for (const d of [...taxi.detections, ...woman.detections]) t.diagnostic(`${d.source} ${d.type} ${d.label} ${d.score.toFixed(2)} [${d.box?.map((v) => v.toFixed(3)) ?? ''}] ${d.start_offset_ms}–${d.end_offset_ms} ms`);
    // The taxi is the pick-up, the whole clip long; the missing vest is the woman's.
    const cab = holo4(taxi, 'yellow_taxi').find((d) => iou(d.box, CAR_BOX) >= 0.5);
    assert.ok(cab, `no yellow_taxi on the pick-up: ${JSON.stringify(holo4(taxi))}`);
    assert.equal(cab.start_offset_ms, 0);
    assert.ok(cab.end_offset_ms >= 2000, `the taxi until ${cab.end_offset_ms} ms`);
    const vest = holo4(woman, 'no_vest')[0];
    assert.ok(iou(vest.box, WOMAN_BOX) >= 0.5, `no_vest at ${vest.box}, not on the woman`);
    // Each algorithm where it belongs; nobody rides a two-wheeler.
    assert.deepEqual(holo4(taxi).map((d) => d.type), holo4(taxi, 'yellow_taxi').map(() => 'yellow_taxi'), 'only yellow taxis in the pick-up picture');
    assert.equal(holo4(woman, 'yellow_taxi').length + holo4(woman, 'no_helmet_two_wheeler').length, 0, JSON.stringify(holo4(woman)));
    assert.ok(holo4(woman).every((d) => ['no_vest'].includes(d.type)), `the woman's picture: ${JSON.stringify(holo4(woman))}`);
    // The list filters by an algorithm's id like by a basic type.
    const ids = async (types) => (await server.api('GET', `/orgs/${org}/recordings?site_id=${c.site.id}&detections=${types}&limit=10`, undefined, as)).items.map((r) => r.id);
    assert.deepEqual(await ids('yellow_taxi'), [taxi.id]);
    assert.deepEqual(await ids('no_vest'), [woman.id]);
    assert.deepEqual(await ids('no_helmet_two_wheeler'), []);
    found = { ...c, taxi, woman };
  }),
);

for (const lang of ['fr', 'en']) {
  const words =
    lang === 'fr'
      ? { taxi: "Détection de la présence d'un taxi jaune", vest: "Détection d'absence de gilet haute visibilité", urban: 'Environnement urbain', holo4: 'Beta HOLO4', join: 'Rejoindre la bêta HOLO4' }
      : { taxi: 'Yellow taxi detection', vest: 'No high-visibility vest detection', urban: 'Urban environment', holo4: 'HOLO4 beta', join: 'Join the HOLO4 beta' };

  test(
    `the Recordings page filters by the HOLO4 algorithms and labels their events and boxes (${lang})`,
    withPage(env, { locale: lang === 'fr' ? 'fr-FR' : 'en-GB' }, async (page, t) => {
      if (!(await haveModels(t))) return;
      assert.ok(found, 'the join test above did not get its detections');
      const c = found;
      await env.server.api('PATCH', '/me/preferences', { language: lang }, { token: c.token });
      // The camera's settings, opened again: in the beta, with the chosen algorithms ticked.
      await loginAPI(page, env.server, c, '/cameras');
      await tid(page, 'camera-row').filter({ has: page.getByText(c.camera.name, { exact: true }) }).locator('[data-testid="camera-edit"]').click();
      const dialog = tid(page, 'camera-dialog');
      await expectText(dialog.locator('[data-testid="holo4-section"]'), words.join);
      assert.equal(await dialog.locator('[data-testid="camera-holo4"]').isChecked(), true);
      assert.equal(await dialog.getByLabel(words.taxi).isChecked(), true);
      await expectText(dialog.locator('[data-testid="holo4-count-urban"]'), '2/2');
      await expectText(dialog.locator('[data-testid="holo4-count-construction_site"]'), '1/2');
      await screenshot(page, `holo4-camera-${lang}.png`);
      await dialog.locator('[data-testid="camera-close"]').click();
      await dialog.waitFor({ state: 'hidden' });

      await page.goto(`/recordings?site=${c.site.id}`);

      // Both events; each one's icons include its algorithm, named in the interface language.
      assert.deepEqual(await listed(page, 2), [c.taxi.id, c.woman.id].sort());
      const card = (r) => page.locator(`[data-testid="event-card"][data-id="${r.id}"]`);
      await card(c.taxi).locator('[data-testid="event-types"] [data-type="yellow_taxi"]').waitFor();
      assert.equal(await card(c.taxi).locator('[data-testid="event-types"] [data-type="yellow_taxi"]').getAttribute('aria-label'), words.taxi);
      assert.equal(await card(c.woman).locator('[data-testid="event-types"] [data-type="no_vest"]').getAttribute('aria-label'), words.vest);
      assert.equal(await card(c.woman).locator('[data-testid="event-types"] [data-type="yellow_taxi"]').count(), 0);
      // The basic types first, the algorithm's sparkle last.
      const order = await card(c.woman).locator('[data-testid="event-types"] [data-type]').evaluateAll((els) => els.map((e) => e.dataset.type));
      assert.equal(order.at(-1), 'no_vest', `icons in the order ${order}`);

      // The filter: the HOLO4 packages with their counts; the yellow taxi alone keeps the taxi's event.
      await filterTypes(page, ['yellow_taxi'], {
        before: async (pop) => {
          await expectText(pop, words.holo4);
          await expectText(pop.locator('[data-testid="detection-package-urban"]'), words.urban);
          await expectText(pop.locator('[data-testid="detection-count-urban"]'), '1/2');
          await expectText(pop.locator('[data-testid="detection-count-construction_site"]'), '0/2');
          await expectText(pop.locator('[data-testid="detection-count-fun_at_work"]'), '0/3');
          await expectText(pop.locator('[data-testid="detection-package-urban"]'), words.taxi);
          assert.equal(await pop.locator('[data-testid="holo4-invite"]').count(), 0, 'a camera joined: no invitation');
          await pop.locator('[data-testid="detection-package-urban"]').scrollIntoViewIfNeeded();
          await screenshot(page, `holo4-filter-${lang}.png`);
        },
      });
      await page.waitForURL((u) => u.searchParams.get('types') === 'yellow_taxi');
      assert.deepEqual(await listed(page, 1), [c.taxi.id]);
      await screenshot(page, `holo4-list-taxi-${lang}.png`);

      // An algorithm that found nothing: no event.
      await filterTypes(page, ['no_helmet_two_wheeler']);
      await page.waitForURL((u) => u.searchParams.get('types') === 'no_helmet_two_wheeler');
      await tid(page, 'events-empty').waitFor();
      assert.equal(await tid(page, 'event-card').count(), 0);
      // No vest: the woman's event only.
      await filterTypes(page, ['no_vest']);
      await page.waitForURL((u) => u.searchParams.get('types') === 'no_vest');
      assert.deepEqual(await listed(page, 1), [c.woman.id]);

      // Back to the taxi, in the player with the boxes on (⋮ menu): its box is labelled with the
      // algorithm's name and lies over the pick-up.
      await filterTypes(page, ['yellow_taxi']);
      await page.waitForURL((u) => u.searchParams.get('types') === 'yellow_taxi');
      await listed(page, 1);
      await card(c.taxi).click();
      const video = tid(page, 'player-video');
      await page.waitForFunction(() => {
        const v = document.querySelector('[data-testid="player-video"]');
        return v && v.readyState >= 2;
      });
      await tid(page, 'player-menu').click();
      await tid(page, 'player-boxes').click();
      await page.keyboard.press('Escape');
      await tid(page, 'player-boxes').waitFor({ state: 'hidden' });
      await video.evaluate(async (v) => {
        v.pause();
        v.currentTime = 1.5;
        await new Promise((r) => v.addEventListener('seeked', r, { once: true }));
      });
      const box = tid(page, 'detection-box').and(page.locator('[data-type="yellow_taxi"]')).first();
      await box.waitFor();
      await expectText(box.locator('[data-testid="detection-box-label"]'), new RegExp(`^${words.taxi.replace(/[()]/g, '\\$&')} \\d+\\s?%$`));
      const frame = await video.evaluate((v) => {
        const r = v.getBoundingClientRect();
        const scale = Math.min(r.width / v.videoWidth, r.height / v.videoHeight);
        const w = v.videoWidth * scale;
        const h = v.videoHeight * scale;
        return { left: r.left + (r.width - w) / 2, top: r.top + (r.height - h) / 2, width: w, height: h };
      });
      const b = await box.boundingBox();
      const drawn = [(b.x - frame.left) / frame.width, (b.y - frame.top) / frame.height, b.width / frame.width, b.height / frame.height];
      assert.ok(iou(drawn, CAR_BOX) >= 0.5, `the yellow_taxi box is drawn at ${drawn.map((v) => v.toFixed(2))}, not over the pick-up`);
      // Its long name is readable: on the picture, not under the label of the detector's box of the
      // same pick-up (a truck), and drawn over any other label it crosses.
      const taxiLabel = box.locator('[data-testid="detection-box-label"]');
      const label = await taxiLabel.boundingBox();
      assert.ok(label.x >= frame.left - 3 && label.x + label.width <= frame.left + frame.width + 3, `the label [${label.x}, ${label.x + label.width}] leaves the picture`);
      const truck = c.taxi.detections.find((d) => d.source === 'model' && d.type === 'vehicle' && iou(d.box, CAR_BOX) >= 0.5);
      assert.ok(truck, 'the detector saw the pick-up as a vehicle');
      for (const v of await tid(page, 'detection-box').and(page.locator('[data-type="vehicle"]')).all()) {
        const o = await v.locator('[data-testid="detection-box-label"]').boundingBox();
        const overlap = Math.min(o.x + o.width, label.x + label.width) > Math.max(o.x, label.x) && Math.min(o.y + o.height, label.y + label.height) > Math.max(o.y, label.y);
        if (overlap) assert.fail(`the yellow_taxi label overlaps the label "${await v.textContent()}"`);
      }
      // (The boxes let clicks through to the player: hit-testing needs them to take the pointer.)
      const hit = await page.addStyleTag({ content: '[data-testid="detection-boxes"], [data-testid="detection-boxes"] * { pointer-events: auto !important; }' });
      const onTop = await taxiLabel.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return [0.1, 0.5, 0.9].every((f) => el.contains(document.elementFromPoint(r.left + f * r.width, r.top + r.height / 2)));
      });
      const what = await taxiLabel.evaluate((el) => {
        const r = el.getBoundingClientRect();
        const e = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return `${e?.tagName} ${e?.dataset?.testid} ${e?.className}`;
      });
      await hit.evaluate((el) => el.remove());
      assert.ok(onTop, `another element covers the yellow_taxi label: ${what}`);
      await page.evaluate(() => document.activeElement?.blur());
      await page.mouse.move(0, 0);
      await screenshot(page, `holo4-player-${lang}.png`);
    }),
  );
}
