// Browser-test harness: a private cam2drive server per test file, fixtures built
// through the public API, and Chromium (Debian's) driven by playwright-core.
//
//   CAM2DRIVE_BIN=/path/to/cam2drive npm run e2e
//
// Each test file calls startServer() once (before) and stop() (after): its own
// data directory and port, so files never see each other's data.
import { spawn, execFile } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Where screenshots go (git-ignored). */
export const SCREENSHOT_DIR = path.resolve(here, '../../screenshots');

export const ADMIN_EMAIL = 'admin@e2e.test';
export const ADMIN_PASSWORD = 'Plateforme-Orage-e2e-2026!';
/** A password that satisfies the policy (10+ characters, not common, not the e-mail). */
export const GOOD_PASSWORD = 'Vert-Kiwi-Lune-2026';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** How long a UI expectation may take before it fails. */
export const TIMEOUT_MS = 15_000;

function binary() {
  const bin = process.env.CAM2DRIVE_BIN;
  if (!bin) {
    throw new Error(
      'CAM2DRIVE_BIN is not set: build the binary (make build) and run ' +
        '`CAM2DRIVE_BIN=$PWD/../bin/cam2drive npm run e2e` from web/, or `make e2e` from the repository root.',
    );
  }
  if (!fs.existsSync(bin)) throw new Error(`CAM2DRIVE_BIN=${bin} does not exist: run make build first.`);
  return bin;
}

function run(bin, args, timeout = 30_000) {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(bin)} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls fn until it returns without throwing (and its result is truthy when
 * `truthy` is set). Used to wait on conditions, never as a fixed delay.
 */
export async function eventually(fn, { timeout = TIMEOUT_MS, interval = 50, message } = {}) {
  const deadline = Date.now() + timeout;
  let lastErr;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > deadline) {
      const err = new Error(`${message ?? 'condition not met'} (after ${timeout} ms): ${lastErr?.message ?? lastErr}`);
      err.cause = lastErr;
      throw err;
    }
    await sleep(interval);
  }
}

/** An API error answer, with the status and the JSON body. */
export class ApiFailure extends Error {
  constructor(method, url, status, body) {
    super(`${method} ${url} answered ${status}: ${JSON.stringify(body)}`);
    this.status = status;
    this.body = body;
  }
}

/** Whether a TCP port of 127.0.0.1 accepts connections. */
function accepts(port) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve();
    });
    sock.once('error', (e) => {
      sock.destroy();
      reject(e);
    });
  });
}

/**
 * Starts `cam2drive serve` on a fresh data directory and a free port, after
 * `admin bootstrap`; returns the server handle with API helpers.
 *
 * `roles` (default "web,worker") is passed to --roles. With "ftp" or "sftp"
 * among them the ingest servers listen on free ports of 127.0.0.1
 * (--ftp-addr, --sftp-addr), exposed as server.ftpPort and server.sftpPort
 * (null without the role), and the server is ready once they accept connections.
 *
 * `modelsDir` is passed to --models-dir; by default an empty folder of the
 * data dir, so the server runs no AI model whatever this machine installed.
 */
export async function startServer({ roles = 'web,worker', modelsDir = '' } = {}) {
  const bin = binary();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'c2d-e2e-'));
  try {
    await run(bin, ['admin', 'bootstrap', '--data-dir', dataDir, '--email', ADMIN_EMAIL, '--password', ADMIN_PASSWORD]);
  } catch (e) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const roleList = roles.split(',').map((r) => r.trim());
  const ftpPort = roleList.includes('ftp') ? await freePort() : null;
  const sftpPort = roleList.includes('sftp') ? await freePort() : null;
  const args = ['serve', '--data-dir', dataDir, '--http-addr', `127.0.0.1:${port}`, '--roles', roles, '--log-level', 'warn'];
  args.push('--models-dir', modelsDir || path.join(dataDir, 'models'));
  if (ftpPort) args.push('--ftp-addr', `127.0.0.1:${ftpPort}`);
  if (sftpPort) args.push('--sftp-addr', `127.0.0.1:${sftpPort}`);
  const logPath = path.join(dataDir, 'serve.log');
  const log = fs.openSync(logPath, 'a');
  const child = spawn(bin, args, { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const logTail = () => {
    try {
      return fs.readFileSync(logPath, 'utf8').split('\n').slice(-30).join('\n');
    } catch {
      return '';
    }
  };

  try {
    await eventually(
      async () => {
        if (exited) throw new Error(`server exited early (${JSON.stringify(exited)})\n${logTail()}`);
        const r = await fetch(`${url}/readyz`);
        if (!r.ok) throw new Error(`/readyz ${r.status}`);
        for (const p of [ftpPort, sftpPort]) if (p) await accepts(p);
      },
      { timeout: 30_000, interval: 100, message: `cam2drive serve did not become ready on ${url}` },
    );
  } catch (e) {
    child.kill('SIGKILL');
    process.off('exit', killOnExit);
    const err = new Error(`${e.message}\n--- server log ---\n${logTail()}`);
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }

  const server = new Server({ bin, dataDir, url, child, logTail, killOnExit, ftpPort, sftpPort });
  server.adminToken = await server.createToken(ADMIN_EMAIL);
  server.platform = (await server.api('GET', '/me')).org;
  return server;
}

class Server {
  constructor({ bin, dataDir, url, child, logTail, killOnExit, ftpPort, sftpPort }) {
    Object.assign(this, { bin, dataDir, url, child, logTail, killOnExit, ftpPort, sftpPort });
    this.counter = 0;
  }

  /** A unique, readable e-mail address for this server's fixtures. */
  email(prefix) {
    this.counter += 1;
    return `${prefix}-${this.counter}@e2e.test`;
  }

  /** `token create`: a bearer token acting as the user (last line of stdout). */
  async createToken(email) {
    const out = await run(this.bin, ['token', 'create', '--data-dir', this.dataDir, '--email', email, '--name', 'e2e']);
    const lines = out.trim().split('\n');
    return lines[lines.length - 1].trim();
  }

  /**
   * A personal API token for a user who has a password: signs in through the
   * API and creates the token with POST /me/tokens (faster than `token create`).
   */
  async tokenFor(email, password) {
    const login = await fetch(`${this.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!login.ok) throw new ApiFailure('POST', '/auth/login', login.status, await login.text());
    const me = await login.json();
    const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const r = await fetch(`${this.url}/api/v1/me/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookies, 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify({ name: 'e2e' }),
    });
    if (!r.ok) throw new ApiFailure('POST', '/me/tokens', r.status, await r.text());
    return (await r.json()).token;
  }

  /** A JSON API call with a bearer token (the platform admin's by default). */
  async api(method, apiPath, body, { token = this.adminToken, lang = 'en', expect } = {}) {
    const url = `${this.url}/api/v1${apiPath}`;
    const headers = { 'Accept-Language': lang };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    const ok = expect === undefined ? r.ok : r.status === expect;
    if (!ok) throw new ApiFailure(method, apiPath, r.status, json);
    return json;
  }

  /** `outbox list --to E`: the mails to an address, newest first. */
  async outbox(to) {
    const out = await run(this.bin, ['outbox', 'list', '--data-dir', this.dataDir, '--to', to, '--limit', '10']);
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [date, mailTo, subject, link] = line.split('\t');
        return { date, to: mailTo, subject, link };
      });
  }

  /** The newest mail to an address, waiting for the worker to deliver it to the outbox. */
  async lastMail(to) {
    return eventually(
      async () => {
        const mails = await this.outbox(to);
        if (!mails.length || !mails[0].link) throw new Error(`no mail to ${to} yet`);
        return mails[0];
      },
      { timeout: 20_000, interval: 150, message: `no mail to ${to} in the outbox` },
    );
  }

  /** Sets the password of an invited account with the link of its invitation. */
  async activate(email, password = GOOD_PASSWORD) {
    const { link } = await this.lastMail(email);
    const token = new URL(link).searchParams.get('token');
    await this.api('POST', '/auth/set-password', { token, password }, { token: null });
    return password;
  }

  /** POST /orgs: creates a child organisation whose admin is invited. */
  createOrg({ parentId, kind, name, email, language = 'en', token }) {
    return this.api('POST', '/orgs', { parent_id: parentId, kind, name, email, language }, { token });
  }

  /**
   * Builds platform → distributor → installer and returns the installer with
   * its admin activated and a bearer token acting as that admin.
   */
  async installer({ language = 'en', name } = {}) {
    const n = ++this.counter;
    const distEmail = `dist-${n}@e2e.test`;
    const dist = await this.createOrg({ parentId: this.platform.id, kind: 'distributor', name: `Distributeur ${n}`, email: distEmail });
    const distToken = await this.tokenFor(distEmail, await this.activate(distEmail));
    const email = `installer-${n}@e2e.test`;
    const org = await this.createOrg({
      parentId: dist.id,
      kind: 'installer',
      name: name ?? `Installateur ${n}`,
      email,
      language,
      token: distToken,
    });
    const password = await this.activate(email);
    const token = await this.tokenFor(email, password);
    return { org, email, password, token };
  }

  /**
   * A client organisation created by an installer, with its admin activated:
   * { org, email, password, token, installer }.
   */
  async client({ language = 'fr', name, installer } = {}) {
    installer ??= this.sharedInstaller ??= await this.installer();
    const email = this.email('client');
    const org = await this.createOrg({
      parentId: installer.org.id,
      kind: 'client',
      name: name ?? `Client ${this.counter}`,
      email,
      language,
      token: installer.token,
    });
    const password = await this.activate(email);
    const token = await this.tokenFor(email, password);
    return { org, email, password, token, installer };
  }

  /**
   * `cam2drive demo`: a demo client (site, two recorders, six cameras) whose
   * generated footage is uploaded through this server's FTP port (start the
   * server with the "ftp" role); the worker role then processes it.
   * `ai`: the demo's AI subscription and cameras with AI on (off by default:
   * analysis landing while a test compares the page with the API would race it).
   * Returns { email, password }.
   */
  async demo({ email = this.email('demo'), password = GOOD_PASSWORD, events = 10, ai = false } = {}) {
    if (!this.ftpPort) throw new Error('demo needs the ftp role: setup({ roles: "web,worker,ftp" })');
    const args = ['demo', '--data-dir', this.dataDir, '--ftp-addr', `127.0.0.1:${this.ftpPort}`, '--email', email, '--password', password, `--ai=${ai}`];
    await run(this.bin, [...args, '--events', String(events)], 180_000);
    return { email, password };
  }

  /** Stops the server (SIGTERM, then SIGKILL) and removes its data unless keepData. */
  async stop({ keepData = false } = {}) {
    process.off('exit', this.killOnExit);
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = once(this.child, 'exit');
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    if (!keepData) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Launches Debian's Chromium headless (never a downloaded browser). */
export function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (scripts/install-deps.sh test).`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** Console lines that are expected: the browser's report of a 4xx answer. */
const EXPECTED_CONSOLE = /Failed to load resource: the server responded with a status of 4\d\d/;

/**
 * A fresh browser context and page (own cookies and storage) with error
 * collection. `page.assertNoErrors()` fails on uncaught page errors and on
 * console errors other than 4xx network lines.
 */
export async function newPage(browser, server, { locale = 'fr-FR', viewport = { width: 1366, height: 800 } } = {}) {
  // A light colour scheme: the "system" theme of a new user is then light.
  const context = await browser.newContext({ baseURL: server.url, locale, viewport, colorScheme: 'light' });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  page.setDefaultNavigationTimeout(TIMEOUT_MS * 2);
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.stack ?? e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !EXPECTED_CONSOLE.test(m.text())) errors.push(`console.error: ${m.text()}`);
  });
  page.assertNoErrors = () => {
    if (errors.length) throw new Error(`unexpected errors in the page:\n${errors.join('\n')}`);
  };
  page.closeAll = () => context.close();
  return page;
}

/** A locator on a data-testid. */
export const tid = (page, id) => page.locator(`[data-testid="${id}"]`);

/** Waits until the locator's text contains (or matches) the expected text. */
export async function expectText(locator, expected, { timeout = TIMEOUT_MS } = {}) {
  let last = '';
  return eventually(
    async () => {
      last = ((await locator.first().textContent({ timeout: 500 })) ?? "").replace(/\s+/g, ' ').trim();
      const ok = expected instanceof RegExp ? expected.test(last) : last.includes(expected);
      if (!ok) throw new Error(`got "${last}"`);
      return last;
    },
    { timeout, message: `expected ${locator} to contain ${expected}` },
  );
}

/** Waits until the number of elements matching the locator is n. */
export async function expectCount(locator, n, { timeout = TIMEOUT_MS } = {}) {
  return eventually(
    async () => {
      const c = await locator.count();
      if (c !== n) throw new Error(`count is ${c}`);
    },
    { timeout, message: `expected ${n} × ${locator}` },
  );
}

/** Waits for an attribute of <html> (lang, data-theme, data-density). */
export async function expectHtmlAttr(page, name, value, { timeout = TIMEOUT_MS } = {}) {
  await page.waitForFunction(
    ([n, v]) => document.documentElement.getAttribute(n) === v,
    [name, value],
    { timeout },
  );
}

/** Fills the login form and submits it. */
export async function loginUI(page, email, password) {
  await tid(page, 'login-email').fill(email);
  await tid(page, 'login-password').fill(password);
  await tid(page, 'login-submit').click();
}

/** Signs the browser context in through the API (fast fixture), then opens path. */
export async function loginAPI(page, server, { email, password }, pathname = '/') {
  const r = await page.context().request.post(`${server.url}/api/v1/auth/login`, { data: { email, password } });
  if (!r.ok()) throw new Error(`login of ${email} answered ${r.status()}: ${await r.text()}`);
  await page.goto(pathname);
  await tid(page, 'side-menu').waitFor();
}

/**
 * Saves a PNG of the whole page under the repository's screenshots/ folder (SCREENSHOT_DIR).
 * The viewport is stretched to the page's height for the picture, so that
 * fixed elements such as the left drawer are drawn as a person sees them.
 */
export async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.evaluate(() => document.fonts?.ready);
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const stretched = viewport && height > viewport.height;
  if (stretched) await page.setViewportSize({ width: viewport.width, height });
  try {
    // Let transitions (dialogs, snackbars, ripples) settle.
    await page
      .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), null, { timeout: 3_000 })
      .catch(() => undefined);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, name) });
  } finally {
    if (stretched) await page.setViewportSize(viewport);
  }
}

/** Relative luminance (0 dark … 1 light) of a CSS rgb()/rgba() colour. */
export function luminance(css) {
  const m = css.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/);
  if (!m) throw new Error(`not an rgb colour: ${css}`);
  const [r, g, b] = m.slice(1, 4).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * Per-file setup for node:test: a server and a browser shared by the file's
 * tests, stopped even when a test fails. `roles` and `modelsDir` go to startServer.
 */
export function setup({ before, after, roles, modelsDir }) {
  const env = { server: null, browser: null };
  before(async () => {
    // The server (with a first installer for client fixtures) and the browser start side by side.
    const [server, browser] = await Promise.allSettled([
      startServer({ roles, modelsDir }).then(async (s) => {
        try {
          s.sharedInstaller = await s.installer();
          return s;
        } catch (e) {
          await s.stop({ keepData: true });
          throw e;
        }
      }),
      launchBrowser(),
    ]);
    env.server = server.value ?? null;
    env.browser = browser.value ?? null;
    if (server.status === 'rejected') throw server.reason;
    if (browser.status === 'rejected') throw browser.reason;
  });
  after(async () => {
    await env.browser?.close().catch(() => undefined);
    await env.server?.stop();
  });
  return env;
}

/**
 * Runs a test body with a fresh page and checks it raised no page errors;
 * the page's context is closed at the end, also on failure.
 */
export function withPage(env, options, body) {
  if (typeof options === 'function') [options, body] = [{}, options];
  return async (t) => {
    const page = await newPage(env.browser, env.server, options);
    const failed = `FAILED-${t.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`;
    try {
      await body(page, t);
      page.assertNoErrors();
      fs.rmSync(path.join(SCREENSHOT_DIR, failed), { force: true });
    } catch (e) {
      // Keep a picture of the failure next to the screenshots, and the server's last words.
      await screenshot(page, failed).catch(() => undefined);
      const log = env.server?.logTail().trim();
      if (log && e instanceof Error) e.message += `\n--- server log (warnings and errors) ---\n${log}`;
      throw e;
    } finally {
      await page.closeAll().catch(() => undefined);
    }
  };
}
