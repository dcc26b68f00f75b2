import { fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '../../api';
import { makeMe, mockFetch, renderApp } from '../../test/utils';
import UsersPage from '../UsersPage';

const CATALOGUE = [
  { key: 'recordings.view', group: 'recordings' },
  { key: 'sites.view', group: 'sites' },
  { key: 'sites.manage', group: 'sites' },
  { key: 'users.view', group: 'users' },
];
const ROLES: Role[] = [
  { id: 'r1', org_id: 'o1', name: 'Admin', builtin: 'admin', permissions: CATALOGUE.map((p) => p.key), user_count: 1 },
  { id: 'r2', org_id: 'o1', name: 'Technician', builtin: 'technician', permissions: ['sites.view'], user_count: 0 },
  { id: 'r3', org_id: 'o1', name: 'Gardien', builtin: '', permissions: [], user_count: 2 },
];

function backend() {
  return mockFetch((c) => {
    if (c.url === '/api/v1/permissions') return { body: { items: CATALOGUE } };
    if (c.url.startsWith('/api/v1/orgs/o1/roles') && c.method === 'GET') return { body: { items: ROLES, total: 3, next_cursor: '' } };
    if (c.url === '/api/v1/orgs/o1/roles' && c.method === 'POST') return { status: 201, body: { id: 'r9', org_id: 'o1', builtin: '', user_count: 0, ...(c.body as object) } };
    if (c.method === 'DELETE') return { status: 409, body: { code: 'role_in_use', message: 'Ce rôle est attribué à des utilisateurs.' } };
    return undefined;
  });
}

const me = () => makeMe({ permissions: ['roles.view', 'roles.manage', 'users.view'] });

describe('Users & Permissions — roles', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists roles with translated built-in names and tabs', async () => {
    backend();
    renderApp(<UsersPage />, { me: me(), route: '/users', path: '/users' });
    const rows = await screen.findAllByTestId('role-row');
    expect(rows.map((r) => within(r).getAllByRole('cell')[1].textContent)).toEqual(['AdminIntégré', 'TechnicienIntégré', 'Gardien']);
    expect(screen.getByTestId('tab-roles')).toHaveTextContent('Rôles');
    expect(screen.getByTestId('tab-users')).toHaveTextContent('Utilisateurs');
    expect(screen.queryByTestId('tab-audit')).toBeNull();
    // Built-in roles cannot be deleted (the server answers 409 builtin_role_delete).
    expect(within(rows[0]).queryByTestId('role-delete')).toBeNull();
    expect(within(rows[1]).queryByTestId('role-delete')).toBeNull();
    expect(within(rows[2]).getByTestId('role-delete')).toBeInTheDocument();
  });

  it('creates a role with the ticked permissions', async () => {
    const { calls } = backend();
    renderApp(<UsersPage />, { me: me(), route: '/users', path: '/users' });
    await screen.findAllByTestId('role-row');
    fireEvent.click(screen.getByTestId('role-add'));
    expect(screen.getByText('Ajouter un rôle', { selector: 'h2' })).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('role-name'), { target: { value: 'Opérateur' } });
    fireEvent.click(await screen.findByTestId('perm-sites.manage'));
    fireEvent.click(screen.getByTestId('perm-recordings.view'));
    expect(screen.getByText('Gérer les sites')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('role-submit'));
    expect(await screen.findByTestId('toast')).toHaveTextContent('Opérateur');
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toEqual({ name: 'Opérateur', permissions: ['recordings.view', 'sites.manage'] });
  });

  it('shows the Admin role read-only', async () => {
    backend();
    renderApp(<UsersPage />, { me: me(), route: '/users', path: '/users' });
    const rows = await screen.findAllByTestId('role-row');
    fireEvent.click(within(rows[0]).getByTestId('role-edit'));
    expect(await screen.findByTestId('role-admin-locked')).toBeInTheDocument();
    expect(await screen.findByTestId('perm-sites.view')).toBeDisabled();
    expect(screen.getByTestId('perm-sites.view')).toBeChecked();
    expect(screen.queryByTestId('role-submit')).toBeNull();
  });

  it('shows the 409 role_in_use message in the confirmation', async () => {
    backend();
    renderApp(<UsersPage />, { me: me(), route: '/users', path: '/users' });
    const rows = await screen.findAllByTestId('role-row');
    fireEvent.click(within(rows[2]).getByTestId('role-delete'));
    fireEvent.click(screen.getByTestId('confirm-delete'));
    expect(await screen.findByTestId('confirm-error')).toHaveTextContent('Ce rôle est attribué à des utilisateurs.');
  });
});
