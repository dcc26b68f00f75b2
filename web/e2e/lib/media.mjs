// The player's MP4 download, checked with ffprobe: shared by the Recordings and expiry tests.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tid } from '../harness.mjs';

/** ffprobe's JSON for a file: format name and duration, each stream's type and codec. */
export function ffprobe(file) {
  return new Promise((resolve, reject) => {
    const args = ['-v', 'error', '-show_entries', 'format=format_name,duration:stream=codec_type,codec_name', '-of', 'json', file];
    execFile('ffprobe', args, { timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(`ffprobe: ${stderr}`)) : resolve(JSON.parse(stdout))));
  });
}

/** Downloads the watched clip from the player's ⋮ menu, checks it is an H.264 MP4, and returns ffprobe's answer. */
export async function downloadMP4(page) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'c2d-dl-'));
  try {
    await tid(page, 'player-menu').click();
    const [download] = await Promise.all([page.waitForEvent('download'), tid(page, 'player-download').click()]);
    assert.match(download.suggestedFilename(), /\.mp4$/);
    const file = path.join(dir, download.suggestedFilename());
    await download.saveAs(file);
    assert.equal(await download.failure(), null);
    const probe = await ffprobe(file);
    assert.match(probe.format.format_name, /mp4/);
    assert.ok(probe.streams.some((s) => s.codec_type === 'video' && s.codec_name === 'h264'), JSON.stringify(probe.streams));
    return probe;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
