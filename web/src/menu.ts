// Left-menu model per organisation kind. Pure data so it can be unit-tested.
import type { OrgKind } from './api';

export type MenuIcon =
  | 'recordings'
  | 'recorders'
  | 'cameras'
  | 'customers'
  | 'sites'
  | 'users'
  | 'preferences'
  | 'password'
  | 'logout';

export interface MenuItem {
  id: string;
  labelKey: string;
  icon: MenuIcon;
  testId: string;
  path?: string;
  action?: 'logout';
  /** The user needs at least one of these permissions (none: always shown). */
  anyOf?: string[];
}

export interface MenuSection {
  id: 'main' | 'settings' | 'account';
  titleKey?: string;
  items: MenuItem[];
}

/** Kind of the organisations an organisation of `kind` creates and manages. */
export const CHILD_KIND: Record<OrgKind, OrgKind | null> = {
  platform: 'distributor',
  distributor: 'installer',
  installer: 'client',
  client: null,
};

export const USERS_PAGE_PERMISSIONS = ['users.view', 'roles.view', 'audit.view'];

const account: MenuItem[] = [
  { id: 'preferences', labelKey: 'menu.preferences', icon: 'preferences', path: '/preferences', testId: 'nav-preferences' },
  { id: 'password', labelKey: 'menu.changePassword', icon: 'password', path: '/password', testId: 'nav-password' },
  { id: 'logout', labelKey: 'menu.logout', icon: 'logout', action: 'logout', testId: 'menu-logout' },
];

const usersItem: MenuItem = {
  id: 'users',
  labelKey: 'menu.users',
  icon: 'users',
  path: '/users',
  testId: 'nav-users',
  anyOf: USERS_PAGE_PERMISSIONS,
};

function sectionsFor(kind: OrgKind): MenuSection[] {
  if (kind === 'client') {
    return [
      {
        id: 'main',
        items: [
          {
            id: 'recordings',
            labelKey: 'menu.recordings',
            icon: 'recordings',
            path: '/recordings',
            testId: 'nav-recordings',
            anyOf: ['recordings.view'],
          },
        ],
      },
      {
        id: 'settings',
        titleKey: 'menu.settings',
        // The guide's order: Mes enregistreurs, Mes Caméras, Mes Sites, Utilisateurs & Permissions.
        items: [
          {
            id: 'recorders',
            labelKey: 'menu.recorders',
            icon: 'recorders',
            path: '/recorders',
            testId: 'nav-recorders',
            anyOf: ['recorders.view'],
          },
          { id: 'cameras', labelKey: 'menu.cameras', icon: 'cameras', path: '/cameras', testId: 'nav-cameras', anyOf: ['cameras.view'] },
          { id: 'sites', labelKey: 'menu.sites', icon: 'sites', path: '/sites', testId: 'nav-sites', anyOf: ['sites.view'] },
          usersItem,
        ],
      },
      { id: 'account', titleKey: 'menu.account', items: account },
    ];
  }
  return [
    {
      id: 'main',
      items: [
        {
          id: 'customers',
          labelKey: `menu.customers.${kind}`,
          icon: 'customers',
          path: '/customers',
          testId: 'nav-customers',
          anyOf: ['orgs.view'],
        },
      ],
    },
    { id: 'settings', titleKey: 'menu.settings', items: [usersItem] },
    { id: 'account', titleKey: 'menu.account', items: account },
  ];
}

/** The menu for an organisation kind, without the items the user may not use. */
export function menuFor(kind: OrgKind, permissions: readonly string[]): MenuSection[] {
  const has = new Set(permissions);
  return sectionsFor(kind)
    .map((s) => ({
      ...s,
      items: s.items.filter((i) => !i.anyOf || i.anyOf.some((p) => has.has(p))),
    }))
    .filter((s) => s.items.length > 0);
}

/** The first page of a menu (the landing page after login). */
export function firstPath(sections: MenuSection[]): string {
  for (const s of sections) {
    for (const i of s.items) {
      if (i.path) return i.path;
    }
  }
  return '/preferences';
}
