import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeMe, mockFetch, renderApp } from '../test/utils';
import { RequireAuth } from './RequireAuth';

describe('RequireAuth', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends a visitor without a session to /login', async () => {
    mockFetch((c) => (c.url === '/api/v1/me' ? { status: 401, body: { code: 'unauthenticated', message: 'no' } } : undefined));
    renderApp(
      <RequireAuth>
        <div data-testid="secret" />
      </RequireAuth>,
      { route: '/sites', path: '/sites' },
    );
    expect(await screen.findByTestId('login-page')).toBeInTheDocument();
    expect(screen.queryByTestId('secret')).toBeNull();
  });

  it('renders the page once /me answered', async () => {
    mockFetch((c) => (c.url === '/api/v1/me' ? { body: makeMe() } : undefined));
    renderApp(
      <RequireAuth>
        <div data-testid="secret" />
      </RequireAuth>,
      { route: '/sites', path: '/sites' },
    );
    expect(await screen.findByTestId('secret')).toBeInTheDocument();
  });
});
