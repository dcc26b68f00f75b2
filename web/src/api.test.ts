// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, query, readCookie } from './api';

function jsonResponse(status: number, body?: unknown, headers: Record<string, string> = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

function client(response: Response | (() => Response), opts: { cookies?: string; lang?: string; onUnauthenticated?: (e: ApiError) => void } = {}) {
  const fetch = vi.fn(async () => (typeof response === 'function' ? response() : response));
  const api = new ApiClient({
    fetch: fetch as unknown as typeof globalThis.fetch,
    getCookies: () => opts.cookies ?? '',
    getLanguage: () => opts.lang ?? 'fr',
    onUnauthenticated: opts.onUnauthenticated,
  });
  const init = (i = 0) => (fetch.mock.calls[i] as unknown as [string, RequestInit])[1];
  const url = (i = 0) => (fetch.mock.calls[i] as unknown as [string, RequestInit])[0];
  const headers = (i = 0) => init(i).headers as Record<string, string>;
  return { api, fetch, init, url, headers };
}

describe('ApiClient requests', () => {
  it('sends the CSRF cookie as X-CSRF-Token on non-GET requests', async () => {
    const c = client(jsonResponse(201, { id: 's1' }), { cookies: 'other=1; c2d_csrf=abc%3D123; x=y' });
    await c.api.createSite('o1', { name: 'Site', timezone: 'UTC', address: '' });
    expect(c.url()).toBe('/api/v1/orgs/o1/sites');
    expect(c.init().method).toBe('POST');
    expect(c.headers()['X-CSRF-Token']).toBe('abc=123');
    expect(c.headers()['Content-Type']).toBe('application/json');
    expect(JSON.parse(c.init().body as string)).toEqual({ name: 'Site', timezone: 'UTC', address: '' });
  });

  it('does not send the CSRF header on GET', async () => {
    const c = client(jsonResponse(200, { items: [], total: 0, next_cursor: '' }), { cookies: 'c2d_csrf=abc' });
    await c.api.listSites('o1');
    expect(c.init().method).toBe('GET');
    expect(c.headers()['X-CSRF-Token']).toBeUndefined();
  });

  it('sends CSRF on PATCH and DELETE too', async () => {
    const c = client(() => jsonResponse(204), { cookies: 'c2d_csrf=zz' });
    await c.api.deleteSite('o1', 's1');
    await c.api.updatePreferences({ theme: 'dark' });
    expect(c.init(0).method).toBe('DELETE');
    expect(c.headers(0)['X-CSRF-Token']).toBe('zz');
    expect(c.init(1).method).toBe('PATCH');
    expect(c.headers(1)['X-CSRF-Token']).toBe('zz');
  });

  it('falls back to the csrf_token returned by login when the cookie is not readable', async () => {
    const me = { csrf_token: 'from-login', user: {}, org: {}, permissions: [], preferences: {} };
    const c = client(() => jsonResponse(200, me));
    await c.api.login('a@b.c', 'secret');
    await c.api.forgotPassword('a@b.c');
    expect(c.headers(1)['X-CSRF-Token']).toBe('from-login');
  });

  it('uses same-origin credentials and sends Accept-Language', async () => {
    const c = client(jsonResponse(200, { items: [] }), { lang: 'en' });
    await c.api.timezones();
    expect(c.init().credentials).toBe('same-origin');
    expect(c.headers()['Accept-Language']).toBe('en');
  });

  it('builds query strings without empty values', async () => {
    const c = client(jsonResponse(200, { items: [], total: 0, next_cursor: '' }));
    await c.api.listSites('o 1', { name: 'Dépôt', address: '', limit: 25, offset: 50 });
    expect(c.url()).toBe('/api/v1/orgs/o%201/sites?name=D%C3%A9p%C3%B4t&limit=25&offset=50');
    expect(query({ a: undefined, b: null, c: '' })).toBe('');
  });

  it('resolves 204 answers to undefined', async () => {
    const c = client(jsonResponse(204));
    await expect(c.api.logout()).resolves.toBeUndefined();
  });
});

describe('ApiClient recorders and cameras', () => {
  it('calls the recorder endpoints of docs/API.md', async () => {
    const c = client(() => jsonResponse(200, {}), { cookies: 'c2d_csrf=t' });
    await c.api.listRecorders('o1', { q: 'house', site_id: 's1', limit: 10, offset: 20 });
    await c.api.createRecorder('o1', { name: 'Test', manufacturer: 'dahua', site_id: 's1', type: 'nvr', camera_count: 16 });
    await c.api.getRecorder('o1', 'r/1');
    await c.api.updateRecorder('o1', 'r1', { retention_days: 90 });
    await c.api.getConnection('o1', 'r1');
    await c.api.regenerateConnection('o1', 'r1');
    await c.api.getRecorderHealth('o1', 'r1');
    const calls = c.fetch.mock.calls.map((_, i) => `${c.init(i).method} ${c.url(i)}`);
    expect(calls).toEqual([
      'GET /api/v1/orgs/o1/recorders?q=house&site_id=s1&limit=10&offset=20',
      'POST /api/v1/orgs/o1/recorders',
      'GET /api/v1/orgs/o1/recorders/r%2F1',
      'PATCH /api/v1/orgs/o1/recorders/r1',
      'GET /api/v1/orgs/o1/recorders/r1/connection',
      'POST /api/v1/orgs/o1/recorders/r1/connection/regenerate',
      'GET /api/v1/orgs/o1/recorders/r1/health',
    ]);
    expect(JSON.parse(c.init(1).body as string)).toEqual({ name: 'Test', manufacturer: 'dahua', site_id: 's1', type: 'nvr', camera_count: 16 });
    expect(JSON.parse(c.init(3).body as string)).toEqual({ retention_days: 90 });
    expect(c.headers(5)['X-CSRF-Token']).toBe('t');
  });

  it('deletes a recorder and keeps the precise 409 code', async () => {
    const c = client(jsonResponse(409, { code: 'recorder_has_disk', message: 'Supprimez d’abord le disque.' }));
    const err = await c.api.deleteRecorder('o1', 'r1').catch((e: unknown) => e);
    expect(c.init().method).toBe('DELETE');
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('recorder_has_disk');
    expect((err as ApiError).message).toBe('Supprimez d’abord le disque.');
  });

  it('calls the camera endpoints with their filters', async () => {
    const c = client(() => jsonResponse(200, {}));
    await c.api.listCameras('o1', { name: 'CH', number: '2', recorder_name: 'Shop', site_name: 'default', limit: 10, offset: 0 });
    await c.api.listCameras('o1', { recorder_id: 'r1', limit: 500 });
    await c.api.getCamera('o1', 'c1');
    await c.api.updateCamera('o1', 'c1', { cloud_recording: true, allowed_users: [] });
    expect(c.url(0)).toBe('/api/v1/orgs/o1/cameras?name=CH&number=2&recorder_name=Shop&site_name=default&limit=10&offset=0');
    expect(c.url(1)).toBe('/api/v1/orgs/o1/cameras?recorder_id=r1&limit=500');
    expect(c.url(2)).toBe('/api/v1/orgs/o1/cameras/c1');
    expect(c.init(3).method).toBe('PATCH');
    expect(JSON.parse(c.init(3).body as string)).toEqual({ cloud_recording: true, allowed_users: [] });
  });
});

describe('ApiClient errors', () => {
  it('maps the error JSON to an ApiError with code, message and fields', async () => {
    const c = client(jsonResponse(400, { code: 'invalid', message: 'Données invalides', fields: { name: 'Obligatoire' } }));
    const err = await c.api.createSite('o1', { name: '', timezone: 'UTC', address: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(400);
    expect(e.code).toBe('invalid');
    expect(e.message).toBe('Données invalides');
    expect(e.fields).toEqual({ name: 'Obligatoire' });
  });

  it('keeps precise conflict codes', async () => {
    const c = client(jsonResponse(409, { code: 'site_has_recorders', message: 'Le site a des enregistreurs' }));
    await expect(c.api.deleteSite('o1', 's1')).rejects.toMatchObject({ status: 409, code: 'site_has_recorders', message: 'Le site a des enregistreurs' });
  });

  it('reads retry_after_seconds on 429, or the Retry-After header', async () => {
    const a = client(jsonResponse(429, { code: 'throttled', message: 'Trop de tentatives', retry_after_seconds: 4 }));
    await expect(a.api.login('a@b.c', 'x')).rejects.toMatchObject({ code: 'throttled', retryAfterSeconds: 4 });
    const b = client(jsonResponse(429, { code: 'throttled', message: 'slow down' }, { 'Retry-After': '7' }));
    await expect(b.api.login('a@b.c', 'x')).rejects.toMatchObject({ retryAfterSeconds: 7 });
  });

  it('derives a code from the status when the body is not JSON', async () => {
    const c = client(new Response('<html>bad gateway</html>', { status: 503 }));
    await expect(c.api.me()).rejects.toMatchObject({ status: 503, code: 'unavailable' });
  });

  it('turns network failures into ApiError code "network"', async () => {
    const api = new ApiClient({
      fetch: (async () => {
        throw new TypeError('Failed to fetch');
      }) as unknown as typeof fetch,
    });
    await expect(api.me()).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('calls onUnauthenticated on 401 unauthenticated', async () => {
    const onUnauthenticated = vi.fn();
    const c = client(jsonResponse(401, { code: 'unauthenticated', message: 'Session expirée' }), { onUnauthenticated });
    await expect(c.api.listSites('o1')).rejects.toMatchObject({ status: 401 });
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
    expect(onUnauthenticated.mock.calls[0][0]).toBeInstanceOf(ApiError);
  });

  it('does not treat a wrong password (401 invalid_credentials) as an expired session', async () => {
    const onUnauthenticated = vi.fn();
    const c = client(jsonResponse(401, { code: 'invalid_credentials', message: 'E-mail ou mot de passe incorrect' }), { onUnauthenticated });
    await expect(c.api.login('a@b.c', 'bad')).rejects.toMatchObject({ code: 'invalid_credentials', message: 'E-mail ou mot de passe incorrect' });
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });
});

describe('readCookie', () => {
  it('finds a cookie among others', () => {
    expect(readCookie('c2d_csrf', 'a=1; c2d_csrf=xyz; b=2')).toBe('xyz');
    expect(readCookie('c2d_csrf', 'c2d_csrf_old=1')).toBeUndefined();
    expect(readCookie('c2d_csrf', '')).toBeUndefined();
  });
});
