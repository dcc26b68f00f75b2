import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { vi } from 'vitest';
import type { Me, Preferences } from '../api';
import { NotifierProvider } from '../components/Notifier';
import { ThemeRoot } from '../components/ThemeRoot';
import { SessionProvider } from '../session';

export function makeMe(overrides: Partial<Me> = {}, prefs: Partial<Preferences> = {}): Me {
  return {
    user: {
      id: 'u1',
      org_id: 'o1',
      email: 'alice@example.com',
      name: 'Alice',
      role_id: 'r1',
      role_name: 'Admin',
      status: 'active',
      created_at: '2026-01-05T10:00:00Z',
    },
    org: {
      id: 'o1',
      parent_id: 'p1',
      kind: 'client',
      name: 'Acme',
      email: 'contact@acme.test',
      address: '',
      phone: '',
      created_at: '2026-01-01T00:00:00Z',
    },
    permissions: ['recordings.view', 'sites.view', 'sites.manage', 'users.view', 'roles.view'],
    preferences: { theme: 'light', language: 'fr', density: 'comfortable', rows_per_page: 10, ...prefs },
    csrf_token: 'tok',
    ...overrides,
  };
}

export interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

type Handler = (call: Call) => { status?: number; body?: unknown; headers?: Record<string, string> } | undefined;

/** Replaces fetch with a router over "METHOD /path" handlers (path without query). */
export function mockFetch(handler: Handler) {
  const calls: Call[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => (headers[k] = v));
    const call: Call = {
      method: (init.method ?? 'GET').toUpperCase(),
      url,
      headers,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const res = handler(call) ?? { status: 404, body: { code: 'not_found', message: 'not found' } };
    const status = res.status ?? 200;
    return new Response(status === 204 || res.body === undefined ? null : JSON.stringify(res.body), {
      status,
      headers: { 'Content-Type': 'application/json', ...res.headers },
    });
  });
  vi.stubGlobal('fetch', fn);
  return { fn, calls };
}

export function renderApp(
  ui: ReactElement,
  {
    me = null,
    route = '/',
    path = '*',
    routes = [],
  }: { me?: Me | null; route?: string; path?: string; routes?: { path: string; element: ReactElement }[] } = {},
) {
  return render(
    <MemoryRouter initialEntries={[route]}>
      <SessionProvider initialMe={me}>
        <ThemeRoot>
          <NotifierProvider>
            <Routes>
              <Route path={path} element={ui} />
              {routes.map((r) => (
                <Route key={r.path} path={r.path} element={r.element} />
              ))}
              {path !== '/login' && <Route path="/login" element={<div data-testid="login-page" />} />}
              {path !== '/' && <Route path="/" element={<div data-testid="home-page" />} />}
            </Routes>
          </NotifierProvider>
        </ThemeRoot>
      </SessionProvider>
    </MemoryRouter>,
  );
}
