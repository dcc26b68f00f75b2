// Reads docs/recorders/<name>.md from disk for the unit tests (plain JS: the web
// tsconfig carries no Node.js types). See the vi.mock in setup.ts.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/recorders');

export function readRecorderDoc(name) {
  return readFileSync(resolve(dir, `${name}.md`), 'utf8');
}
