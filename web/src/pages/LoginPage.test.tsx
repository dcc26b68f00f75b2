import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockFetch, renderApp } from '../test/utils';
import LoginPage, { safeNext } from './LoginPage';

function fill(email: string, password: string) {
  fireEvent.change(screen.getByTestId('login-email'), { target: { value: email } });
  fireEvent.change(screen.getByTestId('login-password'), { target: { value: password } });
}

describe('LoginPage', () => {
  beforeEach(() => localStorage.setItem('c2d_lang', 'fr'));
  afterEach(() => {
    localStorage.clear();
    vi.unstubAllGlobals();
  });

  it("shows the guide's login screen in French", () => {
    mockFetch(() => undefined);
    renderApp(<LoginPage />, { route: '/login', path: '/login' });
    expect(screen.getByText('Bienvenue au tableau de bord de Cam2Drive')).toBeInTheDocument();
    expect(screen.getByText("Connectez-vous à votre compte et commencez l'aventure")).toBeInTheDocument();
    expect(screen.getByText('Mot de passe oublié?')).toBeInTheDocument();
    expect(screen.getByTestId('login-submit')).toHaveTextContent('SE CONNECTER');
    expect(screen.getByLabelText(/E-mail/)).toBeInTheDocument();
  });

  it('toggles the password visibility', () => {
    mockFetch(() => undefined);
    renderApp(<LoginPage />, { route: '/login', path: '/login' });
    const input = screen.getByTestId('login-password');
    expect(input).toHaveAttribute('type', 'password');
    fireEvent.click(screen.getByTestId('login-password-toggle'));
    expect(input).toHaveAttribute('type', 'text');
  });

  it("shows the server's message on a wrong password", async () => {
    const { calls } = mockFetch((c) =>
      c.url === '/api/v1/auth/login'
        ? { status: 401, body: { code: 'invalid_credentials', message: 'E-mail ou mot de passe incorrect.' } }
        : undefined,
    );
    renderApp(<LoginPage />, { route: '/login', path: '/login' });
    fill('alice@example.com', 'wrong-password');
    fireEvent.click(screen.getByTestId('login-submit'));
    expect(await screen.findByTestId('login-error')).toHaveTextContent('E-mail ou mot de passe incorrect.');
    expect(calls[0]).toMatchObject({ method: 'POST', body: { email: 'alice@example.com', password: 'wrong-password' } });
    expect(calls[0].headers['accept-language']).toBe('fr');
    expect(screen.getByTestId('login-submit')).toBeEnabled();
  });

  it('shows a countdown and disables the button while throttled', async () => {
    mockFetch(() => ({ status: 429, body: { code: 'throttled', message: 'Trop de tentatives.', retry_after_seconds: 1 } }));
    renderApp(<LoginPage />, { route: '/login', path: '/login' });
    fill('alice@example.com', 'whatever-pass');
    fireEvent.click(screen.getByTestId('login-submit'));
    expect(await screen.findByTestId('login-error')).toHaveTextContent('Trop de tentatives.');
    expect(screen.getByTestId('login-countdown')).toHaveTextContent('1 s');
    expect(screen.getByTestId('login-submit')).toBeDisabled();
    // Real time: the countdown runs out after retry_after_seconds.
    await waitFor(() => expect(screen.getByTestId('login-submit')).toBeEnabled(), { timeout: 3000 });
    expect(screen.queryByTestId('login-countdown')).toBeNull();
    expect(screen.getByTestId('login-error')).toHaveTextContent('Trop de tentatives.');
  });

  it('goes to the dashboard after a successful login', async () => {
    mockFetch(() => ({
      status: 200,
      body: {
        user: { id: 'u1', email: 'alice@example.com', name: '', role_id: 'r', role_name: 'Admin', status: 'active', org_id: 'o1', created_at: '' },
        org: { id: 'o1', kind: 'client', name: 'Acme', parent_id: '', email: '', address: '', phone: '', created_at: '' },
        permissions: [],
        preferences: { theme: 'dark', language: 'en', density: 'compact', rows_per_page: 25 },
        csrf_token: 'c',
      },
    }));
    renderApp(<LoginPage />, { route: '/login', path: '/login' });
    fill('alice@example.com', 'good-password');
    fireEvent.click(screen.getByTestId('login-submit'));
    expect(await screen.findByTestId('home-page')).toBeInTheDocument();
    // The user's preferences apply at once.
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    expect(document.documentElement.dataset.density).toBe('compact');
    expect(document.documentElement.lang).toBe('en');
  });

  it('switches the language with the FR/EN switch', async () => {
    mockFetch(() => undefined);
    renderApp(<LoginPage />, { route: '/login', path: '/login' });
    fireEvent.click(screen.getByTestId('lang-en'));
    expect(await screen.findByText('Welcome to the Cam2Drive dashboard')).toBeInTheDocument();
    expect(localStorage.getItem('c2d_lang')).toBe('en');
  });
});

describe('safeNext', () => {
  it('only accepts local paths', () => {
    expect(safeNext('/sites?x=1')).toBe('/sites?x=1');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext(null)).toBe('/');
    expect(safeNext('/login')).toBe('/');
  });
});
