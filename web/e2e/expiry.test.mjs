// Signed media URLs expire (an hour by default); a Recordings page left open longer (a guard's
// screen, all day) must go on working. The server here signs URLs for a few seconds only
// (CAM2DRIVE_MEDIA_URL_TTL), so that expiry comes several times during the test: thumbnails,
// hover previews, the player (where it was: time, pause, speed) and Download keep working, the list
// keeps its scroll and selection, without a storm of requests; also after the page slept (its
// clock and timers paused, as on a sleeping computer) past the URLs' life.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, loginAPI, screenshot, setup, tid, withPage } from './harness.mjs';
import { downloadMP4 } from './lib/media.mjs';

/** The life of a signed URL on this file's server (seconds). */
const TTL = 8;
// The server inherits the environment of the test process.
process.env.CAM2DRIVE_MEDIA_URL_TTL = `${TTL}s`;
const env = setup({ before, after, roles: 'web,worker,ftp' });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** The expiry (Unix seconds) a signed URL carries. */
const expOf = (url) => Number(new URL(url, 'http://x').searchParams.get('exp'));

/** The demo data, made once for the file by the first test that needs it. */
let made;
const ready = () => (made ??= makeDemo());

/** The demo client, its footage processed. */
async function makeDemo() {
  const demo = await env.server.demo({ events: 6 });
  demo.token = await env.server.tokenFor(demo.email, demo.password);
  const org = (await env.server.api('GET', '/me', undefined, { token: demo.token })).org;
  await eventually(
    async () => {
      const all = await env.server.api('GET', `/orgs/${org.id}/recordings?limit=500`, undefined, { token: demo.token });
      assert.ok(all.total > 0, 'no recordings yet');
      assert.equal(all.items.filter((r) => r.status === 'processing').length, 0, 'recordings still processing');
      // The API says how long its URLs live.
      assert.ok(all.items[0].media.expires_in <= TTL && all.items[0].media.expires_in >= TTL - 1, JSON.stringify(all.items[0].media));
    },
    { timeout: 180_000, interval: 500, message: 'the demo footage was not processed' },
  );
  return demo;
}

/** The event cards' thumbnails: src, whether loaded, and the page's status for a fresh fetch of it. */
function thumbnails(page) {
  return page.$$eval('[data-testid="event-card"] img', (imgs) =>
    Promise.all(imgs.map(async (img) => ({ src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0, status: (await fetch(img.src)).status }))),
  );
}

const video = (page) =>
  page.evaluate(() => {
    const v = document.querySelector('[data-testid="player-video"]');
    return v && { src: v.getAttribute('src'), time: v.currentTime, paused: v.paused, rate: v.playbackRate, ready: v.readyState };
  });

test(
  'thumbnails, previews, the player and Download keep working as the media URLs expire',
  withPage(env, { locale: 'fr-FR', viewport: { width: 1200, height: 560 } }, async (page) => {
    const demo = await ready();
    // What the page asks and what media answer, from the start.
    const lists = [];
    const expired = [];
    page.on('request', (r) => {
      if (/\/api\/v1\/orgs\/[^/]+\/recordings\?/.test(r.url())) lists.push(Date.now());
    });
    page.on('response', (r) => {
      if (r.url().includes('/media/') && r.status() === 403 && r.request().resourceType() !== 'fetch') expired.push(r.url());
    });
    await loginAPI(page, env.server, demo, '/recordings');
    await tid(page, 'event-card').first().waitFor();
    const first = (await thumbnails(page))[0];

    // A clip played at 2×, then paused where it was.
    const clip = tid(page, 'event-card').and(page.locator('[data-kind="clip"][data-status="ready"]')).first();
    const id = await clip.getAttribute('data-id');
    await clip.click();
    await page.waitForFunction(() => document.querySelector('[data-testid="player-video"]')?.currentTime > 0.3);
    await tid(page, 'player-menu').click();
    await tid(page, 'player-speed').click();
    await page.locator('[data-testid="speed-option"][data-speed="2"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="player-video"]').playbackRate === 2);
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('k');
    await page.waitForFunction(() => document.querySelector('[data-testid="player-video"]').paused);
    const before = await video(page);
    // The list scrolled a little (when the page is taller than the window).
    await page.evaluate(() => window.scrollTo(0, 120));
    const scrollY = await page.evaluate(() => window.scrollY);

    // Twice the URLs' life, and until the first set has expired on the server.
    const start = Date.now();
    await sleep(2 * TTL * 1000 + 1000);
    const waited = (Date.now() - start) / 1000;

    // The first URLs are refused now: the page really went past their life.
    assert.equal(await page.evaluate((u) => fetch(u).then((r) => r.status), first.src), 403);
    // Every thumbnail has a fresh URL, loaded.
    await eventually(async () => {
      const now = Math.floor(Date.now() / 1000);
      for (const t of await thumbnails(page)) {
        assert.ok(expOf(t.src) > now, `${t.src} expired`);
        assert.ok(t.loaded, `${t.src} not loaded`);
        assert.equal(t.status, 200, t.src);
      }
    });
    // The place in the list and the selection are kept.
    assert.equal(await page.evaluate(() => window.scrollY), scrollY);
    assert.equal(await page.locator('[data-testid="event-card"][aria-current="true"]').getAttribute('data-id'), id);

    // The player has fresh URLs, still paused where it was, at 2×; it plays on.
    const after = await video(page);
    assert.ok(expOf(after.src) > expOf(before.src), `player URL not refreshed: ${after.src}`);
    assert.equal(after.paused, true);
    assert.equal(after.rate, 2);
    assert.ok(Math.abs(after.time - before.time) < 0.1, `time ${before.time} → ${after.time}`);
    await page.keyboard.press(' ');
    await page.waitForFunction((t) => {
      const v = document.querySelector('[data-testid="player-video"]');
      return !v.paused && v.currentTime > t + 0.3;
    }, before.time);

    // The hover preview of a card loads.
    const card = tid(page, 'event-card').first();
    await card.locator('img').hover();
    const strip = await tid(page, 'event-preview').evaluate((el) => getComputedStyle(el).backgroundImage.replace(/^url\("?|"?\)$/g, ''));
    assert.equal(await page.evaluate((u) => fetch(u).then((r) => r.status), strip), 200);

    // No storm: the list was read again about once per refresh (a quarter of the life before the end).
    const reads = lists.filter((t) => t >= start).length;
    console.log(`# ${reads} list reads in ${waited.toFixed(1)} s with ${TTL} s URLs; ${expired.length} media requests refused as expired`);
    assert.ok(reads >= 2 && reads <= Math.ceil(waited / (TTL * 0.75)) + 2, `${reads} list reads`);
    assert.deepEqual(expired, [], 'media asked with expired URLs');

    // Download, checked with ffprobe.
    await downloadMP4(page);
    await screenshot(page, 'recordings-expiry.png');
  }),
);

test(
  'a page asleep past the URLs life (a sleeping computer) works again when it wakes',
  withPage(env, { locale: 'en-GB' }, async (page) => {
    const demo = await ready();
    const reads = [];
    page.on('request', (r) => {
      if (r.url().includes('/recordings')) reads.push(Date.now());
    });
    // The page's clock and timers are Playwright's: they flow with real time until paused (asleep).
    await page.clock.install();
    await loginAPI(page, env.server, demo, '/recordings');
    const clip = tid(page, 'event-card').and(page.locator('[data-kind="clip"][data-status="ready"]')).first();
    await clip.click();
    await page.waitForFunction(() => document.querySelector('[data-testid="player-video"]')?.currentTime > 0.3);
    // Paused a moment ahead of both clocks: the page's, installed above, may run ahead of this
    // process's, and pauseAt cannot go back in time.
    const asleep = Math.max(Date.now(), await page.evaluate(() => Date.now())) + 250;
    await page.clock.pauseAt(asleep);
    await sleep(TTL * 1000 + 1500);
    const woke = Date.now();
    // Asleep, the page read nothing (its refresh timers did not run) while its URLs expired.
    assert.deepEqual(
      reads.filter((t) => t > asleep + 500 && t < woke),
      [],
      'the page ran while asleep',
    );
    // It wakes: its clock jumps, its late timers come due.
    await page.clock.setSystemTime(woke);
    await page.clock.resume();

    // Download right away: fresh URLs at the click.
    await downloadMP4(page);
    await eventually(async () => {
      const now = Math.floor(Date.now() / 1000);
      for (const t of await thumbnails(page)) {
        assert.ok(expOf(t.src) > now && t.loaded && t.status === 200, JSON.stringify(t));
      }
      assert.ok(expOf(await page.evaluate(() => document.querySelector('[data-testid="player-video"]').getAttribute('src'))) > now);
    });
    await page.evaluate(() => document.querySelector('[data-testid="player-video"]').play());
    await page.waitForFunction(() => {
      const v = document.querySelector('[data-testid="player-video"]');
      return !v.paused && v.readyState >= 2;
    });
    assert.equal(await tid(page, 'player-media-error').count(), 0);
    console.log(`# asleep for ${((woke - asleep) / 1000).toFixed(1)} s`);
  }),
);
