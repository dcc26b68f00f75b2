// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { OrgKind } from './api';
import { CHILD_KIND, firstPath, menuFor } from './menu';

const ALL = [
  'recordings.view',
  'recorders.view',
  'recorders.manage',
  'cameras.view',
  'cameras.manage',
  'sites.view',
  'sites.manage',
  'users.view',
  'roles.view',
  'audit.view',
  'orgs.view',
  'orgs.manage',
  'tokens.manage',
];

const shape = (kind: OrgKind, perms: string[]) =>
  menuFor(kind, perms).map((s) => [s.id, s.titleKey ?? null, s.items.map((i) => i.id)]);

describe('menuFor', () => {
  it('gives a client Enregistrement, PARAMÈTRES (recorders, cameras, sites, users) and COMPTE', () => {
    expect(shape('client', ALL)).toEqual([
      ['main', null, ['recordings']],
      ['settings', 'menu.settings', ['recorders', 'cameras', 'sites', 'users']],
      ['account', 'menu.account', ['preferences', 'password', 'logout']],
    ]);
    const items = menuFor('client', ALL).flatMap((s) => s.items);
    expect(items.find((i) => i.id === 'sites')?.path).toBe('/sites');
    expect(items.find((i) => i.id === 'recordings')?.path).toBe('/recordings');
    expect(items.find((i) => i.id === 'recorders')).toMatchObject({ path: '/recorders', testId: 'nav-recorders', labelKey: 'menu.recorders' });
    expect(items.find((i) => i.id === 'cameras')).toMatchObject({ path: '/cameras', testId: 'nav-cameras', labelKey: 'menu.cameras' });
    expect(items.find((i) => i.id === 'logout')).toMatchObject({ action: 'logout', testId: 'menu-logout' });
  });

  it('shows Mes enregistreurs with recorders.view and Mes Caméras with cameras.view', () => {
    const ids = (perms: string[]) => menuFor('client', perms).flatMap((s) => s.items.map((i) => i.id));
    expect(ids(['recorders.view'])).toContain('recorders');
    expect(ids(['recorders.view'])).not.toContain('cameras');
    expect(ids(['cameras.view'])).toContain('cameras');
    expect(ids(['cameras.view'])).not.toContain('recorders');
    // Managing without viewing does not open the page.
    expect(ids(['recorders.manage', 'cameras.manage'])).not.toContain('recorders');
    expect(ids(['recorders.manage', 'cameras.manage'])).not.toContain('cameras');
  });

  it('keeps recorders and cameras out of the other kinds of organisation', () => {
    for (const kind of ['installer', 'distributor', 'platform'] as const) {
      const ids = menuFor(kind, ALL).flatMap((s) => s.items.map((i) => i.id));
      expect(ids).not.toContain('recorders');
      expect(ids).not.toContain('cameras');
    }
  });

  it.each([
    ['installer', 'menu.customers.installer'],
    ['distributor', 'menu.customers.distributor'],
    ['platform', 'menu.customers.platform'],
  ] as const)('gives a %s its children list, Settings and Account', (kind, label) => {
    const sections = menuFor(kind, ALL);
    expect(sections.map((s) => s.id)).toEqual(['main', 'settings', 'account']);
    expect(sections[0].items).toEqual([expect.objectContaining({ id: 'customers', path: '/customers', labelKey: label })]);
    expect(sections[1].items.map((i) => i.id)).toEqual(['users']);
    expect(sections.flatMap((s) => s.items.map((i) => i.id))).not.toContain('sites');
  });

  it('hides items the user lacks the permission for', () => {
    expect(shape('client', ['sites.view'])).toEqual([
      ['settings', 'menu.settings', ['sites']],
      ['account', 'menu.account', ['preferences', 'password', 'logout']],
    ]);
    expect(shape('installer', [])).toEqual([['account', 'menu.account', ['preferences', 'password', 'logout']]]);
  });

  it('shows Users & Permissions with any of users.view, roles.view, audit.view', () => {
    for (const p of ['users.view', 'roles.view', 'audit.view']) {
      expect(menuFor('client', [p]).flatMap((s) => s.items.map((i) => i.id))).toContain('users');
    }
    expect(menuFor('client', ['users.manage']).flatMap((s) => s.items.map((i) => i.id))).not.toContain('users');
  });

  it('always keeps the account section', () => {
    for (const kind of ['client', 'installer', 'distributor', 'platform'] as const) {
      const last = menuFor(kind, []).at(-1)!;
      expect(last.id).toBe('account');
      expect(last.items.map((i) => i.path ?? i.action)).toEqual(['/preferences', '/password', 'logout']);
    }
  });
});

describe('firstPath and CHILD_KIND', () => {
  it('lands on the first page of the menu', () => {
    expect(firstPath(menuFor('client', ALL))).toBe('/recordings');
    expect(firstPath(menuFor('client', ['sites.view']))).toBe('/sites');
    expect(firstPath(menuFor('client', ['cameras.view', 'sites.view']))).toBe('/cameras');
    expect(firstPath(menuFor('installer', ALL))).toBe('/customers');
    expect(firstPath(menuFor('platform', []))).toBe('/preferences');
  });

  it('maps each kind to the kind it manages', () => {
    expect(CHILD_KIND).toEqual({ platform: 'distributor', distributor: 'installer', installer: 'client', client: null });
  });
});
