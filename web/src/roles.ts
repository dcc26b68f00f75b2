import type { TFunction } from 'i18next';
import type { BuiltinRole, Permission } from './api';

/** Display name of a role: built-in roles are translated. */
export function roleLabel(role: { name: string; builtin?: BuiltinRole }, t: TFunction): string {
  return role.builtin ? t(`roles.builtin.${role.builtin}`, { defaultValue: role.name }) : role.name;
}

/** The permission catalogue grouped by group, in catalogue order. */
export function groupPermissions(catalogue: readonly Permission[]): { group: string; keys: string[] }[] {
  const out: { group: string; keys: string[] }[] = [];
  const index = new Map<string, number>();
  for (const p of catalogue) {
    let i = index.get(p.group);
    if (i === undefined) {
      i = out.length;
      index.set(p.group, i);
      out.push({ group: p.group, keys: [] });
    }
    out[i].keys.push(p.key);
  }
  return out;
}

export const AUDIT_ACTIONS = [
  'login.ok',
  'login.failed',
  'login.throttled',
  'logout',
  'password.changed',
  'password.reset',
  'user.invited',
  'user.role_changed',
  'user.removed',
  'role.created',
  'role.updated',
  'role.deleted',
  'token.created',
  'token.revoked',
  'org.created',
  'ai_subscription.created',
  'ai_subscription.changed',
  'ai_subscription.cancelled',
] as const;

export const PERMISSION_KEYS = [
  'recordings.view',
  'recordings.download',
  'ai.ask',
  'recorders.view',
  'recorders.manage',
  'cameras.view',
  'cameras.manage',
  'sites.view',
  'sites.manage',
  'users.view',
  'users.manage',
  'roles.view',
  'roles.manage',
  'subscriptions.view',
  'subscriptions.manage',
  'orgs.view',
  'orgs.manage',
  'audit.view',
  'tokens.manage',
] as const;

export const PERMISSION_GROUPS = ['recordings', 'devices', 'sites', 'users', 'subscriptions', 'customers', 'security'] as const;
