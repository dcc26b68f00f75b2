// An installer's "My customers" page in English: add a customer, who is invited by e-mail.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectCount, expectHtmlAttr, expectText, loginUI, screenshot, setup, tid, withPage } from './harness.mjs';

const env = setup({ before, after });

test(
  'an installer sees "My customers" and adds a customer (English UI)',
  withPage(env, { locale: 'en-US' }, async (page) => {
    const { server } = env;
    const installer = await server.installer({ language: 'en', name: 'SecureCam Installations' });
    // One existing customer, created through the API.
    await server.createOrg({
      parentId: installer.org.id,
      kind: 'client',
      name: 'Corner Bakery',
      email: server.email('bakery'),
      token: installer.token,
    });

    await page.goto('/login');
    await expectText(tid(page, 'login-submit'), 'Sign in');
    await loginUI(page, installer.email, installer.password);
    await tid(page, 'side-menu').waitFor();
    await expectHtmlAttr(page, 'lang', 'en');
    // An installer lands on its customers; it has no "My sites" item.
    await page.waitForURL((u) => u.pathname === '/customers');
    await expectText(tid(page, 'nav-customers'), 'My customers');
    await expectText(tid(page, 'page-title'), 'My customers');
    await expectText(tid(page, 'side-menu'), 'Installer');
    assert.equal(await tid(page, 'nav-sites').count(), 0);
    await expectCount(tid(page, 'customer-row'), 1);
    await expectText(tid(page, 'customer-row'), 'Corner Bakery');

    // "Add customer": name, e-mail, invitation language.
    await expectText(tid(page, 'customer-add'), 'Add customer');
    await tid(page, 'customer-add').click();
    const dialog = tid(page, 'customer-dialog');
    await dialog.waitFor();
    await expectText(dialog.locator('h2'), 'Add customer');
    const email = 'garage.martin@e2e.test';
    await tid(page, 'customer-name').fill('Garage Martin');
    await tid(page, 'customer-email').fill(email);
    await tid(page, 'customer-address').fill('5 avenue Foch, Paris');
    await tid(page, 'customer-phone').fill('+33 1 23 45 67 89');
    assert.equal(await tid(page, 'customer-language').inputValue(), 'en', 'the invitation language defaults to mine');
    await tid(page, 'customer-language').selectOption('fr');
    await screenshot(page, 'customer-dialog-en.png');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/orgs') && r.request().method() === 'POST');
    await tid(page, 'customer-submit').click();
    const org = await (await created).json();
    assert.equal(org.kind, 'client');
    assert.equal(org.parent_id, installer.org.id);
    await dialog.waitFor({ state: 'hidden' });
    await expectCount(tid(page, 'customer-row'), 2);
    const row = tid(page, 'customer-row').filter({ hasText: 'Garage Martin' });
    await expectText(row, email);
    await expectText(row, '5 avenue Foch, Paris');
    await expectText(tid(page, 'table-pagination'), '1-2 of 2');

    // The new customer's admin got the invitation, in the chosen language.
    const mail = await server.lastMail(email);
    assert.match(mail.subject, /Bienvenue/);
    assert.match(mail.link, /\/set-password\?token=/);

    // Search by name.
    await tid(page, 'customer-search').fill('garage');
    await expectCount(tid(page, 'customer-row'), 1);
    await expectText(tid(page, 'customer-row'), 'Garage Martin');
    await tid(page, 'customer-search').fill('');
    await expectCount(tid(page, 'customer-row'), 2);
    await screenshot(page, 'customers-en.png');

    // An e-mail already in use is refused in the dialog.
    await tid(page, 'customer-add').click();
    await dialog.waitFor();
    await tid(page, 'customer-name').fill('Garage Martin bis');
    await tid(page, 'customer-email').fill(email);
    await tid(page, 'customer-submit').click();
    await expectText(dialog, 'An account already uses this e-mail address.');
    await tid(page, 'customer-close').click();
    await dialog.waitFor({ state: 'hidden' });
    await expectCount(tid(page, 'customer-row'), 2);
  }),
);
