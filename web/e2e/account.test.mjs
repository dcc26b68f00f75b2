// Account settings: preferences previewed live and saved, change password (guide §7.1, §7.2).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  GOOD_PASSWORD,
  expectHtmlAttr,
  expectText,
  loginAPI,
  loginUI,
  luminance,
  screenshot,
  setup,
  tid,
  withPage,
} from './harness.mjs';

const env = setup({ before, after });

/** Background colours of <body> and <main>, as computed by the browser. */
const backgrounds = (page) =>
  page.evaluate(() => ({
    body: getComputedStyle(document.body).backgroundColor,
    main: getComputedStyle(document.querySelector('main').parentElement.parentElement).backgroundColor,
    paper: getComputedStyle(document.querySelector('[data-testid="side-menu"] .MuiDrawer-paper')).backgroundColor,
  }));

/** The helper text under the field whose input has this test id. */
const helperOf = (page, id) => page.locator('.MuiFormControl-root', { has: tid(page, id) }).locator('.MuiFormHelperText-root');

/** Waits for the debounced PATCH /me/preferences to be saved. */
async function saved(page, action) {
  const patch = page.waitForResponse(
    (r) => r.url().endsWith('/api/v1/me/preferences') && r.request().method() === 'PATCH',
  );
  await action();
  const r = await patch;
  assert.equal(r.status(), 200, 'preferences saved');
  return r.json();
}

test(
  'preferences switch language and theme live, and are kept after a reload',
  withPage(env, { locale: 'fr-FR' }, async (page) => {
    const client = await env.server.client({ language: 'fr' });
    await loginAPI(page, env.server, client, '/preferences');
    await expectText(tid(page, 'page-title'), 'Préférences');
    await expectText(tid(page, 'nav-sites'), 'Mes Sites');
    await expectHtmlAttr(page, 'lang', 'fr');
    await page.evaluate(() => {
      window.__sameDocument = true; // gone if the page reloads
    });

    // Language FR → EN: the menu changes at once, without reloading.
    const prefs = await saved(page, () => tid(page, 'pref-lang-en').click());
    assert.equal(prefs.language, 'en');
    await expectText(tid(page, 'nav-sites'), 'My sites');
    await expectText(tid(page, 'nav-users'), 'Users & Permissions');
    await expectText(tid(page, 'page-title'), 'Preferences');
    await expectHtmlAttr(page, 'lang', 'en');

    // Dark theme.
    const before = await backgrounds(page);
    assert.ok(luminance(before.main) > 0.5, `light background at first (${before.main})`);
    const dark = await saved(page, () => tid(page, 'pref-theme-dark').click());
    assert.equal(dark.theme, 'dark');
    await expectHtmlAttr(page, 'data-theme', 'dark');
    const after = await backgrounds(page);
    for (const [where, colour] of Object.entries(after)) {
      assert.ok(luminance(colour) < 0.05, `dark ${where} background (${colour})`);
    }

    // Density and rows per page are applied at once as well.
    await saved(page, () => tid(page, 'pref-density-compact').click());
    await expectHtmlAttr(page, 'data-density', 'compact');
    await saved(page, () => tid(page, 'pref-rows').selectOption('25'));
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload happened');

    // Saved: a reload keeps everything.
    await page.reload();
    await tid(page, 'side-menu').waitFor();
    await expectHtmlAttr(page, 'lang', 'en');
    await expectHtmlAttr(page, 'data-theme', 'dark');
    await expectHtmlAttr(page, 'data-density', 'compact');
    await expectText(tid(page, 'nav-sites'), 'My sites');
    assert.equal(await tid(page, 'pref-rows').inputValue(), '25');
    assert.equal(await tid(page, 'pref-theme-dark').getAttribute('aria-pressed'), 'true');

    // The sites table uses the saved rows per page.
    await tid(page, 'nav-sites').click();
    await page.waitForURL((u) => u.pathname === '/sites');
    await expectText(tid(page, 'table-pagination'), 'Rows per page:');
    await expectText(tid(page, 'table-pagination').locator('.MuiTablePagination-select'), '25');

    // Back to French (dark and comfortable) for the screenshot.
    await tid(page, 'nav-preferences').click();
    await saved(page, () => tid(page, 'pref-lang-fr').click());
    await saved(page, () => tid(page, 'pref-density-comfortable').click());
    await expectText(tid(page, 'nav-sites'), 'Mes Sites');
    await expectHtmlAttr(page, 'data-density', 'comfortable');
    await tid(page, 'pref-saved').waitFor();
    await screenshot(page, 'preferences-dark-fr.png');
  }),
);

test(
  'change password: wrong old password, success, then log in with the new password',
  withPage(env, { locale: 'fr-FR' }, async (page) => {
    const client = await env.server.client({ language: 'fr' });
    const newPassword = 'Nouveau-Soleil-Bleu-77';
    await loginAPI(page, env.server, client, '/recordings');
    await tid(page, 'nav-password').click();
    await page.waitForURL((u) => u.pathname === '/password');
    await expectText(tid(page, 'page-title'), 'Changer le mot de passe');

    await tid(page, 'pw-old').fill('ce-n-est-pas-le-bon');
    await tid(page, 'pw-new').fill(newPassword);
    await tid(page, 'pw-confirm').fill(newPassword);
    let answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/password'));
    await tid(page, 'pw-submit').click();
    assert.equal((await answer).status(), 400);
    await expectText(tid(page, 'pw-error'), 'Certains champs ne sont pas valides.');
    await expectText(helperOf(page, 'pw-old'), "L'ancien mot de passe est incorrect.");
    assert.equal(await tid(page, 'pw-success').count(), 0);

    // The confirmation must match.
    await tid(page, 'pw-old').fill(client.password);
    await tid(page, 'pw-confirm').fill(newPassword + 'x');
    await tid(page, 'pw-submit').click();
    await expectText(helperOf(page, 'pw-confirm'), 'Les deux mots de passe ne correspondent pas.');

    await tid(page, 'pw-confirm').fill(newPassword);
    answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/password'));
    await tid(page, 'pw-submit').click();
    assert.equal((await answer).status(), 204);
    await expectText(tid(page, 'pw-success'), 'Votre mot de passe a été modifié.');
    assert.equal(await tid(page, 'pw-error').count(), 0);
    assert.equal(await tid(page, 'pw-old').inputValue(), '', 'the form is cleared');
    await screenshot(page, 'password-fr.png');

    // Still signed in after the change (the session was renewed).
    await tid(page, 'nav-sites').click();
    await expectText(tid(page, 'page-title'), 'Sites');

    await tid(page, 'menu-logout').click();
    await page.waitForURL((u) => u.pathname === '/login');
    await loginUI(page, client.email, client.password);
    await expectText(tid(page, 'login-error'), 'E-mail ou mot de passe incorrect.');
    await tid(page, 'login-password').fill(newPassword);
    await tid(page, 'login-submit').click();
    await tid(page, 'side-menu').waitFor();
    assert.notEqual(newPassword, GOOD_PASSWORD);
  }),
);
