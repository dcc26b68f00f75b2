// Invitation e-mail → set password → login → the client's app shell (guide §1).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  GOOD_PASSWORD,
  expectHtmlAttr,
  expectText,
  loginUI,
  screenshot,
  setup,
  tid,
  withPage,
} from './harness.mjs';

const env = setup({ before, after });

test(
  'an installer invites a client in French: set-password link, policy message, login, client menu',
  withPage(env, { locale: 'fr-FR' }, async (page) => {
    const { server } = env;
    // The installer admin creates the client through the API, as its own user.
    const installer = await server.installer();
    const email = 'nouveau.client@e2e.test';
    const org = await server.createOrg({
      parentId: installer.org.id,
      kind: 'client',
      name: 'Boulangerie Dupont',
      email,
      language: 'fr',
      token: installer.token,
    });
    assert.equal(org.kind, 'client');

    const mail = await server.lastMail(email);
    assert.match(mail.subject, /Bienvenue/, 'the invitation is written in French');
    const link = new URL(mail.link);
    assert.equal(link.pathname, '/set-password');

    await page.goto(link.pathname + link.search);
    await expectText(tid(page, 'setpw-email'), email);
    await expectText(tid(page, 'auth-title'), 'Créez votre mot de passe');
    await screenshot(page, 'setpassword-fr.png');

    // Too short: the live checklist shows the rule unmet, the server refuses with the policy message.
    await tid(page, 'setpw-password').fill('Court1!');
    await tid(page, 'setpw-confirm').fill('Court1!');
    assert.equal(await tid(page, 'policy-min_length').getAttribute('data-ok'), 'false');
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/set-password'));
    await tid(page, 'setpw-submit').click();
    assert.equal((await refused).status(), 400);
    await expectText(tid(page, 'setpw-error'), 'Utilisez au moins 10 caractères.');
    assert.equal(new URL(page.url()).pathname, '/set-password', 'stays on the page after a refusal');
    await screenshot(page, 'setpassword-error-fr.png');

    await tid(page, 'setpw-password').fill(GOOD_PASSWORD);
    await tid(page, 'setpw-confirm').fill(GOOD_PASSWORD);
    assert.equal(await tid(page, 'policy-min_length').getAttribute('data-ok'), 'true');
    await tid(page, 'setpw-submit').click();
    await page.waitForURL((u) => u.pathname === '/login');
    await expectText(tid(page, 'login-info'), 'Votre mot de passe a été enregistré');

    await loginUI(page, email, GOOD_PASSWORD);
    const menu = tid(page, 'side-menu');
    await menu.waitFor();
    await expectText(tid(page, 'nav-sites'), 'Mes Sites');
    await expectText(tid(page, 'nav-users'), 'Utilisateurs & Permissions');
    await expectText(menu, 'Client');
    await expectHtmlAttr(page, 'lang', 'fr');
    // "/" lands on the first page of the client's menu.
    await page.waitForURL((u) => u.pathname === '/recordings');
    await expectText(tid(page, 'page-title'), 'Enregistrement');

    // The link is single use.
    await page.context().clearCookies();
    await page.goto(link.pathname + link.search);
    await tid(page, 'setpw-invalid').waitFor();
  }),
);

test(
  'a client invited in French gets the French interface even from an English browser',
  withPage(env, { locale: 'en-US' }, async (page) => {
    const { server } = env;
    const client = await server.client({ language: 'fr' });
    await page.goto('/login');
    await expectText(tid(page, 'login-submit'), 'Sign in');
    await loginUI(page, client.email, client.password);
    await expectText(tid(page, 'nav-sites'), 'Mes Sites');
    await expectHtmlAttr(page, 'lang', 'fr');
  }),
);
