// Utilisateurs & Permissions: a custom role with check-boxes, assigned, deletion rules (guide §6).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, expectCount, expectText, loginAPI, screenshot, setup, tid, withPage } from './harness.mjs';

const env = setup({ before, after });

const roleRow = (page, name) => tid(page, 'role-row').filter({ hasText: name });
/** The UTILISATEURS (user count) cell of a role row. */
const userCount = (page, name) => roleRow(page, name).locator('td').nth(2);
const userRow = (page, email) => tid(page, 'user-row').filter({ hasText: email });

async function openTab(page, id) {
  await tid(page, `tab-${id}`).click();
  await eventually(async () => assert.equal(await tid(page, `tab-${id}`).getAttribute('aria-selected'), 'true'));
}

test(
  'a custom role is created with check-boxes, assigned, refused for deletion while in use, then deleted',
  withPage(env, { locale: 'fr-FR' }, async (page) => {
    const { server } = env;
    const client = await server.client({ language: 'fr' });
    const roleName = 'Opérateur vidéo';
    const member = server.email('operateur');

    await loginAPI(page, server, client, '/recordings');
    await tid(page, 'nav-users').click();
    await page.waitForURL((u) => u.pathname === '/users');
    await expectText(tid(page, 'page-title'), 'Utilisateurs & Permissions');
    await expectText(tid(page, 'tab-roles'), 'Rôles');
    await expectText(tid(page, 'tab-users'), 'Utilisateurs');
    await openTab(page, 'roles');
    // The built-in roles, translated.
    await expectCount(tid(page, 'role-row'), 3);
    await expectText(page.locator('[data-testid="role-row"][data-builtin="admin"]'), 'Admin');
    await expectText(page.locator('[data-testid="role-row"][data-builtin="technician"]'), 'Technicien');
    await expectText(page.locator('[data-testid="role-row"][data-builtin="viewer"]'), 'Lecteur');

    // "Ajouter un rôle": a name and check-boxes.
    await expectText(tid(page, 'role-add'), 'Ajouter un rôle');
    await tid(page, 'role-add').click();
    await tid(page, 'role-dialog').waitFor();
    await tid(page, 'role-name').fill(roleName);
    await tid(page, 'perm-sites.view').check();
    await tid(page, 'perm-users.view').check();
    assert.equal(await tid(page, 'perm-sites.manage').isChecked(), false);
    await screenshot(page, 'role-dialog-fr.png');
    const created = page.waitForResponse((r) => r.url().endsWith('/roles') && r.request().method() === 'POST');
    await tid(page, 'role-submit').click();
    const role = await (await created).json();
    assert.deepEqual([...role.permissions].sort(), ['sites.view', 'users.view']);
    await tid(page, 'role-dialog').waitFor({ state: 'hidden' });
    await expectCount(tid(page, 'role-row'), 4);
    await expectText(roleRow(page, roleName), roleName);
    await screenshot(page, 'roles-fr.png');

    // Reopening the role shows the boxes that were ticked.
    await roleRow(page, roleName).locator('[data-testid="role-edit"]').click();
    await tid(page, 'role-dialog').waitFor();
    assert.equal(await tid(page, 'perm-sites.view').isChecked(), true);
    assert.equal(await tid(page, 'perm-users.view').isChecked(), true);
    assert.equal(await tid(page, 'perm-users.manage').isChecked(), false);
    await tid(page, 'role-close').click();
    await tid(page, 'role-dialog').waitFor({ state: 'hidden' });

    // "Ajouter utilisateur" with that role.
    await openTab(page, 'users');
    await expectText(tid(page, 'user-add'), 'Ajouter utilisateur');
    await tid(page, 'user-add').click();
    await tid(page, 'user-dialog').waitFor();
    await tid(page, 'user-email').fill(member);
    await tid(page, 'user-role').selectOption({ label: roleName });
    await tid(page, 'user-submit').click();
    await tid(page, 'user-dialog').waitFor({ state: 'hidden' });
    await expectText(userRow(page, member), roleName);
    await expectText(userRow(page, member).locator('[data-testid="user-status"]'), 'Invité');
    const mail = await server.lastMail(member);
    assert.match(mail.link, /\/set-password\?token=/, 'the new user is invited by e-mail');

    // Filter by role.
    await tid(page, 'role-filter').selectOption({ label: roleName });
    await expectCount(tid(page, 'user-row'), 1);
    await expectText(tid(page, 'user-row'), member);
    await tid(page, 'role-filter').selectOption({ label: 'Admin' });
    await expectCount(tid(page, 'user-row'), 1);
    await expectText(tid(page, 'user-row'), client.email);
    await tid(page, 'role-filter').selectOption({ label: 'Tous les rôles' });
    await expectCount(tid(page, 'user-row'), 2);

    // The role is in use: deleting it is refused with the guide's rule.
    await openTab(page, 'roles');
    await expectText(userCount(page, roleName), /^1$/);
    await roleRow(page, roleName).locator('[data-testid="role-delete"]').click();
    await tid(page, 'confirm-dialog').waitFor();
    await expectText(tid(page, 'confirm-dialog'), 'Un rôle attribué à au moins un utilisateur ne peut pas être supprimé');
    let answer = page.waitForResponse((r) => r.request().method() === 'DELETE');
    await tid(page, 'confirm-delete').click();
    const refused = await answer;
    assert.equal(refused.status(), 409);
    assert.equal((await refused.json()).code, 'role_in_use');
    await expectText(tid(page, 'confirm-error'), 'Ce rôle est attribué à au moins un utilisateur');
    await screenshot(page, 'role-in-use-fr.png');
    await tid(page, 'confirm-cancel').click();
    await tid(page, 'confirm-dialog').waitFor({ state: 'hidden' });
    await expectCount(tid(page, 'role-row'), 4);

    // Give the user the Viewer role ("Lecteur"), then the role can go.
    await openTab(page, 'users');
    await userRow(page, member).locator('[data-testid="user-edit"]').click();
    await tid(page, 'user-dialog').waitFor();
    assert.equal(await tid(page, 'user-email').inputValue(), member);
    await tid(page, 'user-role').selectOption({ label: 'Lecteur' });
    await tid(page, 'user-submit').click();
    await tid(page, 'user-dialog').waitFor({ state: 'hidden' });
    await expectText(userRow(page, member), 'Lecteur');

    await openTab(page, 'roles');
    await expectText(userCount(page, roleName), /^0$/);
    await roleRow(page, roleName).locator('[data-testid="role-delete"]').click();
    await tid(page, 'confirm-dialog').waitFor();
    answer = page.waitForResponse((r) => r.request().method() === 'DELETE');
    await tid(page, 'confirm-delete').click();
    assert.equal((await answer).status(), 204);
    await tid(page, 'confirm-dialog').waitFor({ state: 'hidden' });
    await expectCount(tid(page, 'role-row'), 3);
    assert.equal(await roleRow(page, roleName).count(), 0);
    // Built-in roles have no delete button.
    assert.equal(await tid(page, 'role-delete').count(), 0);
  }),
);

test(
  'the users tab in English lists the users with their role and status',
  withPage(env, { locale: 'en-US' }, async (page) => {
    const { server } = env;
    const client = await server.client({ language: 'en' });
    const roles = await server.api('GET', `/orgs/${client.org.id}/roles`, undefined, { token: client.token });
    const technician = roles.items.find((r) => r.builtin === 'technician');
    const tech = server.email('technician');
    await server.api('POST', `/orgs/${client.org.id}/users`, { email: tech, role_id: technician.id, language: 'en' }, { token: client.token });
    await server.activate(tech);
    const viewer = roles.items.find((r) => r.builtin === 'viewer');
    await server.api('POST', `/orgs/${client.org.id}/users`, { email: server.email('viewer'), role_id: viewer.id }, { token: client.token });

    await loginAPI(page, server, client, '/users?tab=users');
    await expectText(tid(page, 'page-title'), 'Users & Permissions');
    await expectCount(tid(page, 'user-row'), 3);
    await expectText(userRow(page, tech), 'Technician');
    await expectText(userRow(page, tech).locator('[data-testid="user-status"]'), 'Active');
    await expectText(userRow(page, client.email), 'you');
    await expectText(tid(page, 'table-pagination'), 'Rows per page:');
    await expectText(tid(page, 'table-pagination'), '1-3 of 3');
    // Nobody can remove themselves.
    assert.equal(await userRow(page, client.email).locator('[data-testid="user-delete"]').count(), 0);
    await screenshot(page, 'users-en.png');

    // Removing a user asks for confirmation.
    await userRow(page, tech).locator('[data-testid="user-delete"]').click();
    await expectText(tid(page, 'confirm-dialog'), tech);
    await tid(page, 'confirm-delete').click();
    await expectCount(tid(page, 'user-row'), 2);
  }),
);
