// AI subscriptions and the HOLO4 beta end to end (client guide §2.4, §2.5, §3.1.2–§3.1.4; installer
// guide §3.2): the installer sells its client an AI subscription through the API; the client turns
// AI on for a camera within the subscription's camera limit, joins the HOLO4 beta and chooses
// algorithms in the camera dialog; the recordings' detection filter then lists the HOLO4 packages
// with their "1/2" counts; wizard step 3 shows the subscription. French and English screenshots.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiFailure, expectText, loginAPI, screenshot, setup, tid, withPage } from './harness.mjs';

const env = setup({ before, after });

/** A client with a site and a 3-camera recorder, and an AI subscription for 1 camera sold by its installer. */
async function equippedClient(language) {
  const { server } = env;
  const client = await server.client({ language });
  const org = client.org.id;
  const as = { token: client.token };
  const site = await server.api('POST', `/orgs/${org}/sites`, { name: 'Chantier Nord', timezone: 'Europe/Paris' }, as);
  const recorder = await server.api(
    'POST',
    `/orgs/${org}/recorders`,
    { name: 'NVR Chantier', manufacturer: 'dahua', site_id: site.id, type: 'nvr', camera_count: 3 },
    as,
  );
  // The client can't sell itself a subscription; its installer can.
  await assert.rejects(
    server.api('POST', `/orgs/${org}/ai-subscriptions`, { camera_limit: 1 }, as),
    (e) => e instanceof ApiFailure && e.status === 403,
  );
  const sub = await server.api(
    'POST',
    `/orgs/${org}/ai-subscriptions`,
    { camera_limit: 1, packages: ['construction_site', 'urban'] },
    { token: client.installer.token },
  );
  assert.equal(sub.status, 'active');
  const cameras = (await server.api('GET', `/orgs/${org}/cameras?recorder_id=${recorder.id}`, undefined, as)).items;
  return { ...client, site, recorder, sub, cameras };
}

/** Opens the edit dialog of the camera row showing name. */
async function editCamera(page, name) {
  const row = tid(page, 'camera-row').filter({ has: page.getByText(name, { exact: true }) });
  await row.locator('[data-testid="camera-edit"]').click();
  const dialog = tid(page, 'camera-dialog');
  await dialog.waitFor();
  return dialog;
}

for (const lang of ['fr', 'en']) {
  const words =
    lang === 'fr'
      ? { unavailable: 'IA indisponible', join: 'Rejoindre la bêta HOLO4', beta: 'Participez à la BETA HOLO4', limit: 'utilisent déjà', construction: 'Chantier de construction', step3: "Informations sur l'abonnement AI" }
      : { unavailable: 'AI unavailable', join: 'Join the HOLO4 beta', beta: 'Join the HOLO4 BETA', limit: 'already use AI', construction: 'Construction site', step3: 'AI subscription information' };

  test(
    `AI within the subscription, HOLO4 join and algorithms, detection filter counts (${lang})`,
    withPage(env, { locale: lang === 'fr' ? 'fr-FR' : 'en-GB' }, async (page) => {
      const { server } = env;
      const c = await equippedClient(lang);
      const [cam1, cam2] = c.cameras;

      // Before any camera joins: the filter invites to the beta and lists no package.
      await loginAPI(page, server, c, `/recordings?site=${c.site.id}`);
      await tid(page, 'detections-button').click();
      const pop0 = tid(page, 'detections-popover');
      await expectText(pop0.locator('[data-testid="holo4-invite"]'), words.beta);
      assert.equal(await pop0.locator('[data-testid^="detection-package-"]').count(), 0);
      await screenshot(page, `ai-filter-invite-${lang}.png`);
      await page.keyboard.press('Escape');

      await page.goto('/cameras');
      let dialog = await editCamera(page, cam1.name);
      // This server runs no model: the AI settings say so.
      await expectText(dialog.locator('[data-testid="ai-unavailable"]'), words.unavailable);
      await dialog.locator('[data-testid="camera-ai"]').check();
      await expectText(dialog.locator('[data-testid="holo4-section"]'), words.join);
      await dialog.locator('[data-testid="camera-holo4"]').check();
      // The subscription's packages only: construction site and urban, not "fun at work".
      await dialog.locator('[data-testid="holo4-package-construction_site"]').waitFor();
      assert.equal(await dialog.locator('[data-testid="holo4-package-fun_at_work"]').count(), 0);
      await expectText(dialog.locator('[data-testid="holo4-package-construction_site"]'), words.construction);
      await dialog.locator('[data-testid="holo4-algorithm-no_helmet"]').check();
      await dialog.locator('[data-testid="holo4-algorithm-yellow_taxi"]').check();
      await expectText(dialog.locator('[data-testid="holo4-count-construction_site"]'), '1/2');
      await expectText(dialog.locator('[data-testid="holo4-count-urban"]'), '1/2');
      await screenshot(page, `ai-camera-holo4-${lang}.png`);
      await dialog.locator('[data-testid="camera-save"]').click();
      await dialog.waitFor({ state: 'hidden' });
      const saved = await server.api('GET', `/orgs/${c.org.id}/cameras/${cam1.id}`, undefined, { token: c.token });
      assert.deepEqual([saved.ai_enabled, saved.holo4, saved.algorithms], [true, true, ['no_helmet', 'yellow_taxi']]);
      await tid(page, 'camera-ai-on').first().waitFor();

      // The subscription's one camera is used: the next camera's AI switch is off limits.
      dialog = await editCamera(page, cam2.name);
      await expectText(dialog.locator('[data-testid="ai-blocked"]'), words.limit);
      assert.equal(await dialog.locator('[data-testid="camera-ai"]').isDisabled(), true);
      await screenshot(page, `ai-camera-limit-${lang}.png`);
      await page.keyboard.press('Escape');
      // The API refuses it too, with a message in the user's language.
      await assert.rejects(
        server.api('PATCH', `/orgs/${c.org.id}/cameras/${cam2.id}`, { ai_enabled: true }, { token: c.token }),
        (e) => e instanceof ApiFailure && e.status === 409 && e.body.code === 'ai_camera_limit',
      );

      // The detection filter lists the HOLO4 packages with their counts.
      await page.goto(`/recordings?site=${c.site.id}&cameras=${cam1.id}`);
      await tid(page, 'detections-button').click();
      const pop = tid(page, 'detections-popover');
      await expectText(pop.locator('[data-testid="detection-count-construction_site"]'), '0/2');
      await expectText(pop.locator('[data-testid="detection-count-fun_at_work"]'), '0/3');
      await expectText(pop.locator('[data-testid="detection-count-urban"]'), '0/2');
      assert.equal(await pop.locator('[data-testid="holo4-invite"]').count(), 0);
      await pop.locator('[data-testid="detections-none"]').click();
      await pop.locator('[data-testid="detection-expand-construction_site"]').click();
      await pop.locator('[data-testid="detection-no_helmet"]').check();
      await pop.locator('[data-testid="detection-person"]').check();
      await expectText(pop.locator('[data-testid="detection-count-construction_site"]'), '1/2');
      await screenshot(page, `ai-filter-holo4-${lang}.png`);
      // The search box narrows the list to matching algorithms.
      await pop.locator('[data-testid="detections-search"]').fill(lang === 'fr' ? 'taxi' : 'taxi');
      await pop.locator('[data-testid="detection-yellow_taxi"]').waitFor();
      assert.equal(await pop.locator('[data-testid="detection-package-construction_site"]').count(), 0);
      await pop.locator('[data-testid="detections-apply"]').click();
      await page.waitForURL((u) => u.searchParams.get('types') === 'person,no_helmet');
      await expectText(tid(page, 'detections-button'), '(2/11)');

      // Wizard step 3: the subscription, cameras used / limit.
      await page.goto(`/recorders/${c.recorder.id}/configure?step=3`);
      await expectText(tid(page, 'wizard-title'), words.step3);
      await expectText(tid(page, 'ai-usage'), '1 / 1');
      await screenshot(page, `ai-wizard-step3-${lang}.png`);
      await tid(page, 'wizard-skip').click();
      await tid(page, 'cameras-step').waitFor();
      // Step 4: the camera using AI is marked; the next one can't turn AI on.
      await tid(page, 'camera-item-ai').first().waitFor();
      await tid(page, 'camera-item').nth(1).click();
      await expectText(tid(page, 'camera-form').locator('[data-testid="ai-blocked"]'), words.limit);
      await screenshot(page, `ai-wizard-step4-${lang}.png`);
    }),
  );
}
