import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { forgetCatalogue } from '../hooks/useCatalogue';

afterEach(() => {
  cleanup();
  forgetCatalogue();
});

// jsdom lacks matchMedia (used by MUI's useMediaQuery and the "system" theme).
if (typeof window !== 'undefined' && !window.matchMedia) {
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    value: (query: string) => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }),
  });
}

// The recorder guides live in the repository's docs/recorders and are bundled with `?raw`
// imports (src/help/recorderDocs.ts). Vite builds and serves them, but Vitest refuses `?raw`
// files outside the web root (server.fs.allow), so tests read the same files from disk.
vi.mock('../help/recorderDocs', async () => {
  const { readRecorderDoc: read } = await import('./readDocs');
  return {
    RECORDER_DOCS: {
      dahua: { fr: read('dahua.fr'), en: read('dahua.en') },
      hikvision: { fr: read('hikvision.fr'), en: read('hikvision.en') },
      generic: { fr: read('generic.fr'), en: read('generic.en') },
    },
  };
});
