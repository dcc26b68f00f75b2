// Login page: wrong password (FR and EN), throttling with a countdown, logout (guide §1, §7.3).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, expectText, loginAPI, loginUI, screenshot, setup, tid, withPage } from './harness.mjs';

const env = setup({ before, after });

test(
  'a wrong password shows "E-mail ou mot de passe incorrect." and its English variant',
  withPage(env, { locale: 'fr-FR' }, async (page) => {
    const client = await env.server.client();
    await page.goto('/login');
    await expectText(tid(page, 'auth-title'), 'Bienvenue au tableau de bord de Cam2Drive');
    await expectText(tid(page, 'login-submit'), 'SE CONNECTER');
    await expectText(tid(page, 'login-forgot'), 'Mot de passe oublié?');
    await screenshot(page, 'login-fr.png');

    await loginUI(page, client.email, 'pas-le-bon-mot-de-passe');
    await expectText(tid(page, 'login-error'), 'E-mail ou mot de passe incorrect.');
    assert.equal(new URL(page.url()).pathname, '/login');

    // Same form in English: the server answers in the language of the interface.
    await tid(page, 'lang-en').click();
    await expectText(tid(page, 'login-submit'), 'Sign in');
    await expectText(tid(page, 'auth-title'), 'Welcome to the Cam2Drive dashboard');
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
    await tid(page, 'login-submit').click();
    assert.equal((await answer).status(), 401);
    await expectText(tid(page, 'login-error'), 'Wrong e-mail or password.');
    await screenshot(page, 'login-en.png');

    // The choice of language is kept for the next visit.
    await page.reload();
    await expectText(tid(page, 'login-submit'), 'Sign in');
  }),
);

test(
  'after 5 wrong passwords the 6th attempt is throttled: message, countdown, submit disabled',
  withPage(env, { locale: 'fr-FR' }, async (page) => {
    const client = await env.server.client();
    await page.goto('/login');
    await tid(page, 'login-email').fill(client.email);
    await tid(page, 'login-password').fill('mauvais-mot-de-passe');
    const submit = tid(page, 'login-submit');

    for (let i = 1; i <= 4; i++) {
      const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
      await submit.click();
      assert.equal((await answer).status(), 401, `attempt ${i} is refused as a wrong password`);
      await expectText(tid(page, 'login-error'), 'E-mail ou mot de passe incorrect.');
    }

    // The 5th failure starts a 1 s lock. The user submits again as soon as the
    // button is back: that is watched inside the page so that a slow machine
    // does not let the short lock run out between two remote calls.
    await page.evaluate(() => {
      window.__throttle = new Promise((resolve) => {
        const form = document.querySelector('[data-testid="login-form"]');
        const btn = () => form.querySelector('[data-testid="login-submit"]');
        const text = (id) => form.querySelector(`[data-testid="${id}"]`)?.textContent ?? null;
        let phase = 'fifth-pending';
        let fifthError = null;
        const check = () => {
          if (phase === 'fifth-pending' && btn().disabled) phase = 'fifth-sent';
          else if (phase === 'fifth-sent' && !btn().disabled) {
            fifthError = text('login-error');
            phase = 'sixth-sent';
            btn().click();
          } else if (phase === 'sixth-sent' && text('login-countdown')) {
            phase = 'done';
            obs.disconnect();
            resolve({
              fifthError,
              error: text('login-error'),
              countdown: text('login-countdown'),
              disabled: btn().disabled,
            });
          }
        };
        const obs = new MutationObserver(check);
        obs.observe(form, { attributes: true, childList: true, subtree: true, characterData: true });
      });
    });
    const statuses = [];
    const onResponse = (r) => r.url().endsWith('/api/v1/auth/login') && statuses.push(r.status());
    page.on('response', onResponse);
    await submit.click();
    const seen = await page.evaluate(() => window.__throttle);
    page.off('response', onResponse);

    assert.equal(seen.fifthError, 'E-mail ou mot de passe incorrect.');
    assert.deepEqual(statuses.slice(0, 2), [401, 429], 'the 5th attempt is refused, the 6th throttled');
    assert.match(seen.error, /Trop de tentatives échouées\. Réessayez dans \d+ secondes?\./);
    assert.match(seen.countdown, /^Nouvelle tentative possible dans \d+ s\.$/);
    assert.equal(seen.disabled, true, 'the submit button is disabled while the countdown runs');

    // When the countdown ends the button comes back and the right password works.
    await eventually(async () => assert.equal(await submit.isEnabled(), true), { message: 'submit enabled again' });
    assert.equal(await tid(page, 'login-countdown').count(), 0);
    await tid(page, 'login-password').fill(client.password);
    await submit.click();
    await tid(page, 'side-menu').waitFor();
  }),
);

test(
  'logging out returns to the login page and /sites then redirects to login',
  withPage(env, { locale: 'fr-FR' }, async (page) => {
    const client = await env.server.client();
    await loginAPI(page, env.server, client, '/sites');
    await expectText(tid(page, 'page-title'), 'Sites');

    // Left menu "Se déconnecter".
    await expectText(tid(page, 'menu-logout'), 'Se déconnecter');
    const loggedOut = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/logout'));
    await tid(page, 'menu-logout').click();
    assert.equal((await loggedOut).status(), 204);
    await page.waitForURL((u) => u.pathname === '/login');
    await tid(page, 'login-form').waitFor();
    await expectText(tid(page, 'login-submit'), 'SE CONNECTER');

    await page.goto('/sites');
    await page.waitForURL((u) => u.pathname === '/login');
    assert.equal(new URL(page.url()).searchParams.get('next'), '/sites');
    await tid(page, 'login-form').waitFor();

    // Signing in again goes back to the page asked for.
    await loginUI(page, client.email, client.password);
    await page.waitForURL((u) => u.pathname === '/sites');
    await expectText(tid(page, 'page-title'), 'Sites');

    // The account menu (top right) logs out too.
    await tid(page, 'account-menu').click();
    await expectText(tid(page, 'account-logout'), 'Se déconnecter');
    await tid(page, 'account-logout').click();
    await page.waitForURL((u) => u.pathname === '/login');
    await page.goto('/users');
    await page.waitForURL((u) => u.pathname === '/login');
    const me = await page.context().request.get(`${env.server.url}/api/v1/me`);
    assert.equal(me.status(), 401, 'the session cookie no longer works');
  }),
);
