// Recorders end to end (ingest issue's acceptance): create a recorder through the wizard, read the
// connection settings on step 5, upload with those credentials over FTP and SFTP, see the recorder
// turn online (client guide §3).
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { eventually, expectCount, expectText, loginUI, screenshot, setup, tid, withPage } from './harness.mjs';

// The ingest servers listen too (on free ports of 127.0.0.1: server.ftpPort, server.sftpPort).
const env = setup({ before, after, roles: 'web,worker,ftp,sftp' });

/** The recorder's serial-number folder and the Dahua path of a snapshot on a channel. */
const SERIAL = '4K0A5B3PAG12345';
const dahuaPath = (channel, second) =>
  `cam2drive/${SERIAL}/2026-02-05/${String(channel).padStart(3, '0')}/jpg/11/12/${second}[M][0@0][0].jpg`;

/** The upload clients this test drives (scripts/install-deps.sh test installs them). */
const TOOLS = ['curl', 'sshpass', 'sftp', 'ssh-keyscan', 'ssh-keygen', 'ffmpeg'];
const missingTools = () => TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);

/** Runs a command; resolves with {code, stdout, stderr}, never rejects on a non-zero exit. */
function sh(cmd, args, { env: extra = {}, timeout = 30_000 } = {}) {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout, env: { ...process.env, ...extra } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr, err });
    });
  });
}

/** curl's FTP upload of a file, creating the folders as recorders do. */
const ftpUpload = (file, { host, port, username, password }, remote) =>
  sh('curl', [
    '-sS',
    '--ftp-create-dirs',
    '-g',
    '--max-time',
    '20',
    '-T',
    file,
    `ftp://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${host}:${port}/${remote}`,
  ]);

/**
 * OpenSSH's sftp in batch mode, the password given through sshpass (-e: from $SSHPASS, not argv);
 * the server's key is checked against knownHosts when given.
 */
function sftpBatch(dir, { host, port, username, password, knownHosts }, lines) {
  const batch = path.join(dir, 'batch');
  fs.writeFileSync(batch, lines.join('\n') + '\n');
  return sh(
    'sshpass',
    [
      '-e',
      'sftp',
      '-oBatchMode=no',
      knownHosts ? '-oStrictHostKeyChecking=yes' : '-oStrictHostKeyChecking=no',
      `-oUserKnownHostsFile=${knownHosts ?? '/dev/null'}`,
      '-oPubkeyAuthentication=no',
      '-oPreferredAuthentications=password',
      '-oLogLevel=ERROR',
      '-P',
      String(port),
      '-b',
      batch,
      `${username}@${host}`,
    ],
    { env: { SSHPASS: password } },
  );
}

/** The "-mkdir" of every folder level of a path, as a Dahua recorder does ("-": may already exist). */
const mkdirs = (remote) => {
  const parts = remote.split('/');
  return parts.slice(1).map((_, i) => `-mkdir "${parts.slice(0, i + 1).join('/')}"`);
};

/** Waits until the wizard shows step n. */
const atStep = (page, n) => page.locator(`[data-testid="recorder-wizard"][data-step="${n}"]`).waitFor();

/** Selects a camera of step 4, switches cloud recording on and saves; returns the PATCH answer. */
async function cloudOn(page, number) {
  await tid(page, 'camera-list').locator(`[data-testid="camera-item"][data-number="${number}"]`).click();
  await eventually(async () => assert.equal(await tid(page, 'camera-number').inputValue(), String(number)));
  await tid(page, 'camera-cloud').check();
  const patched = page.waitForResponse((r) => /\/cameras\/[^/]+$/.test(r.url()) && r.request().method() === 'PATCH');
  await tid(page, 'camera-save').click();
  return patched;
}

test(
  'wizard → connection settings on step 5 → FTP and SFTP uploads with them → the recorder is online',
  withPage(env, { locale: 'fr-FR' }, async (page, t) => {
    const missing = missingTools();
    if (missing.length) {
      const why = `${missing.join(', ')} not installed (scripts/install-deps.sh test installs them): no upload can be made`;
      if (process.env.CI === 'true') throw new Error(why);
      t.skip(why);
      return;
    }
    const { server } = env;
    assert.ok(server.ftpPort && server.sftpPort, 'the server runs the FTP and SFTP roles');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'c2d-e2e-upload-'));
    t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    // 1. Installer → client, the client's admin activated through the invitation link.
    const client = await server.client({ language: 'fr' });
    const org = client.org.id;

    // 2. Log in; "Mes enregistreurs" → AJOUTER ENREGISTREUR.
    await page.goto('/login');
    await loginUI(page, client.email, client.password);
    await tid(page, 'side-menu').waitFor();
    await expectText(tid(page, 'nav-recorders'), 'Mes enregistreurs');
    await tid(page, 'nav-recorders').click();
    await page.waitForURL((u) => u.pathname === '/recorders');
    await expectText(tid(page, 'recorders-table'), 'Aucun enregistreur pour l\'instant.');
    await expectCount(tid(page, 'recorder-row'), 0);
    await expectText(tid(page, 'recorder-add'), 'AJOUTER ENREGISTREUR');
    await tid(page, 'recorder-add').click();
    await tid(page, 'recorder-dialog').waitFor();
    await tid(page, 'recorder-name').fill('NVR Entrée');
    await tid(page, 'recorder-manufacturer').selectOption('dahua');
    // The default site is the client's only site, chosen already.
    await expectText(tid(page, 'recorder-site').locator('option:checked'), 'default site');
    await tid(page, 'recorder-type').selectOption('nvr');
    await expectText(tid(page, 'recorder-type').locator('option:checked'), 'NVR/DVR');
    await tid(page, 'recorder-cameras').fill('4');
    const createdAnswer = page.waitForResponse((r) => r.url().endsWith(`/orgs/${org}/recorders`) && r.request().method() === 'POST');
    await expectText(tid(page, 'recorder-submit'), 'VALIDER');
    await tid(page, 'recorder-submit').click();
    const createdResponse = await createdAnswer;
    assert.equal(createdResponse.status(), 201);
    const recorder = await createdResponse.json();
    assert.equal(recorder.manufacturer, 'dahua');
    assert.equal(recorder.type, 'nvr');
    assert.equal(recorder.camera_count, 4);
    await expectText(tid(page, 'recorder-created'), 'Félicitation');
    await expectText(tid(page, 'recorder-configure'), 'CONFIGURATION');
    await tid(page, 'recorder-configure').click();
    await page.waitForURL((u) => u.pathname === `/recorders/${recorder.id}/configure`);
    await atStep(page, 1);
    await expectText(tid(page, 'wizard-recorder-name'), 'NVR Entrée');
    await expectText(tid(page, 'wizard-status'), 'Jamais connecté');

    // 3. Step 2: no virtual disk yet. The installer creates one for this recorder; a reload shows it.
    await tid(page, 'wizard-next').click();
    await atStep(page, 2);
    await expectText(tid(page, 'wizard-title'), 'Disque virtuel');
    await tid(page, 'disk-missing').waitFor();
    await expectText(tid(page, 'disk-missing'), 'revendeur');
    const disk = await server.api(
      'POST',
      `/orgs/${org}/virtual-disks`,
      { capacity_gb: 150, camera_limit: 2, recorder_id: recorder.id, overwrite: true },
      { token: client.installer.token, expect: 201 },
    );
    assert.equal(disk.recorder_id, recorder.id);
    await page.reload();
    await atStep(page, 2);
    await tid(page, 'disk-details').waitFor();
    await expectText(tid(page, 'disk-capacity'), '150 GB');
    await expectText(tid(page, 'disk-camera-limit'), '2');
    assert.equal(await tid(page, 'disk-missing').count(), 0);

    // 4. Step 3 (optional): PASSER. Step 4: cameras 1 and 2 in the cloud; the 3rd is over the limit.
    await tid(page, 'wizard-next').click();
    await atStep(page, 3);
    await expectText(tid(page, 'wizard-skip'), 'PASSER');
    await tid(page, 'wizard-skip').click();
    await atStep(page, 4);
    await expectCount(tid(page, 'camera-item'), 4);
    await expectText(tid(page, 'camera-form'), 'Enregistrement cloud activé');
    await expectText(tid(page, 'camera-save'), 'SAUVEGARDER');
    for (const n of [1, 2]) {
      const answer = await cloudOn(page, n);
      assert.equal(answer.status(), 200, `camera ${n} saved`);
      assert.equal((await answer.json()).cloud_recording, true);
      await expectCount(tid(page, 'camera-list').locator(`[data-number="${n}"] svg[aria-label="Enregistrement cloud activé"]`), 1);
    }
    await expectText(tid(page, 'camera-usage'), /2\D+2/);
    const refused = await cloudOn(page, 3);
    assert.equal(refused.status(), 409);
    assert.equal((await refused.json()).code, 'camera_limit');
    await expectText(tid(page, 'camera-error'), 'La limite de caméras de votre disque virtuel est atteinte');

    // 5. Step 5: the connection settings, password shown with its eye button.
    await tid(page, 'wizard-next').click();
    await atStep(page, 5);
    await tid(page, 'conn-password').waitFor();
    assert.equal(await tid(page, 'conn-password').getAttribute('type'), 'password', 'the password is hidden at first');
    await tid(page, 'conn-password-toggle').click();
    await eventually(async () => assert.equal(await tid(page, 'conn-password').getAttribute('type'), 'text'));
    const conn = {
      host: await tid(page, 'conn-host').inputValue(),
      ftpPort: Number(await tid(page, 'conn-ftp-port').inputValue()),
      sftpPort: Number(await tid(page, 'conn-sftp-port').inputValue()),
      username: await tid(page, 'conn-username').inputValue(),
      password: await tid(page, 'conn-password').inputValue(),
    };
    assert.equal(conn.ftpPort, server.ftpPort, 'the FTP port shown is the one the server listens on');
    assert.equal(conn.sftpPort, server.sftpPort, 'the SFTP port shown is the one the server listens on');
    assert.ok(['127.0.0.1', 'localhost'].includes(conn.host), `host ${conn.host}`);
    assert.ok(conn.username.length > 0 && conn.password.length >= 12, 'a user name and a real password');
    await expectText(tid(page, 'health-status'), 'Jamais connecté');

    // 6. Uploads with exactly those credentials (always to 127.0.0.1, whatever the host shown).
    const jpeg = path.join(tmp, 'snapshot.jpg');
    const made = await sh('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240', '-frames:v', '1', '-y', jpeg]);
    assert.equal(made.code, 0, `ffmpeg: ${made.stderr}`);
    const ftp = { host: '127.0.0.1', port: conn.ftpPort, username: conn.username, password: conn.password };
    const sftp = { host: '127.0.0.1', port: conn.sftpPort, username: conn.username, password: conn.password };

    // The SFTP host key fingerprints shown (when this build lists them) are the server's: the upload
    // then pins them, as recorders that check host keys do.
    if (await tid(page, 'conn-host-keys').count()) {
      const shown = new Set((await tid(page, 'conn-host-keys').innerText()).match(/SHA256:[A-Za-z0-9+/]+/g));
      const scan = await sh('ssh-keyscan', ['-p', String(conn.sftpPort), '127.0.0.1']);
      assert.equal(scan.code, 0, `ssh-keyscan: ${scan.stderr}`);
      sftp.knownHosts = path.join(tmp, 'known_hosts');
      fs.writeFileSync(sftp.knownHosts, scan.stdout);
      const listed = await sh('ssh-keygen', ['-lf', sftp.knownHosts]);
      const served = listed.stdout.match(/SHA256:[A-Za-z0-9+/]+/g) ?? [];
      assert.ok(served.length > 0, `no host key served: ${listed.stdout}${listed.stderr}`);
      for (const fp of served) assert.ok(shown.has(fp), `the server's key ${fp} is among the fingerprints shown (${[...shown]})`);
    }

    // (a) FTP, channel 1.
    const up1 = await ftpUpload(jpeg, ftp, dahuaPath(1, 10));
    assert.equal(up1.code, 0, `FTP upload on channel 1: curl exit ${up1.code}: ${up1.stderr}`);
    // (b) SFTP, channel 2, creating the Dahua folders level by level.
    const remote2 = dahuaPath(2, 20);
    const up2 = await sftpBatch(tmp, sftp, [...mkdirs(remote2), `put "${jpeg}" "/${remote2}"`]);
    assert.equal(up2.code, 0, `SFTP upload on channel 2: exit ${up2.code}: ${up2.stdout}${up2.stderr}`);
    // (c) Channel 3 has cloud recording off: refused.
    const remote3 = dahuaPath(3, 30);
    const up3 = await ftpUpload(jpeg, ftp, remote3);
    assert.notEqual(up3.code, 0, 'an upload on channel 3 (cloud recording off) must fail');

    // 7. Health: online, and the refused upload with its reason in French.
    await eventually(
      async () => {
        await tid(page, 'health-refresh').click();
        await expectText(tid(page, 'health-status'), 'En ligne', { timeout: 1_000 });
        await page.locator('[data-testid="health-problem"][data-reason="channel_disabled"]').waitFor({ timeout: 1_000 });
      },
      { interval: 250, message: 'the health card shows the recorder online with the refused upload' },
    );
    assert.equal(await tid(page, 'health-status').getAttribute('data-status'), 'online');
    const problem = page.locator('[data-testid="health-problem"][data-reason="channel_disabled"]');
    await expectText(problem, "L'enregistrement cloud est désactivé pour cette caméra.");
    await expectText(problem, 'Envoi refusé');
    await expectText(problem, `/${SERIAL}/2026-02-05/003/`);
    assert.equal(await tid(page, 'health-uploads').textContent(), '2');
    assert.equal(await tid(page, 'health-refused-uploads').textContent(), '1');
    // The header's badge follows the refreshed health.
    await expectText(tid(page, 'wizard-status'), 'En ligne');
    await screenshot(page, 'wizard-step5-fr.png');

    // The list: the recorder online with its 150 GB disk.
    await tid(page, 'wizard-finish').click();
    await page.waitForURL((u) => u.pathname === '/recorders');
    await expectCount(tid(page, 'recorder-row'), 1);
    const row = tid(page, 'recorder-row');
    await expectText(row, 'NVR Entrée');
    await expectText(row.locator('[data-testid="recorder-status"]'), 'En ligne');
    assert.equal(await row.locator('[data-testid="recorder-status"]').getAttribute('data-status'), 'online');
    await expectText(row.locator('[data-testid="recorder-disk"]'), '150 GB');
    await expectText(row, 'Dahua');
    await expectText(row, 'default site');
    await screenshot(page, 'recorders-online-fr.png');

    // 8. The API: exactly the two recordings, on cameras 1 and 2, motion events.
    const cams = await server.api('GET', `/orgs/${org}/cameras?recorder_id=${recorder.id}`, undefined, { token: client.token });
    const numberOf = new Map(cams.items.map((c) => [c.id, c.number]));
    const recordings = await server.api('GET', `/orgs/${org}/recordings`, undefined, { token: client.token });
    assert.equal(recordings.items.length, 2, JSON.stringify(recordings.items));
    assert.deepEqual(recordings.items.map((r) => numberOf.get(r.camera_id)).sort(), [1, 2]);
    for (const r of recordings.items) {
      assert.equal(r.event_type, 'motion');
      assert.equal(r.recorder_id, recorder.id);
      assert.equal(r.kind, 'snapshot');
    }

    // "Mes Caméras": the four channels, the first two in the cloud.
    await tid(page, 'nav-cameras').click();
    await page.waitForURL((u) => u.pathname === '/cameras');
    await expectCount(tid(page, 'camera-row'), 4);
    await expectCount(tid(page, 'camera-cloud-on'), 2);
    await screenshot(page, 'cameras-fr.png');

    // The same step 4 in English (the user's language switched through the API).
    await server.api('PATCH', '/me/preferences', { language: 'en' }, { token: client.token });
    await page.goto(`/recorders/${recorder.id}/configure?step=4`);
    await atStep(page, 4);
    await expectText(tid(page, 'wizard-title'), 'Channel list');
    await expectCount(tid(page, 'camera-item'), 4);
    await expectText(tid(page, 'camera-form'), 'Cloud recording enabled');
    await expectText(tid(page, 'camera-save'), 'SAVE');
    await expectText(tid(page, 'wizard-status'), 'Online');
    await screenshot(page, 'wizard-step4-en.png');
  }),
);
