// The per-brand recorder set-up guides (docs/recorders/*.md), bundled at build time:
// the Go binary serves only the built web app, not the repository's docs folder.
import type { Language } from '../api';
import type { DocBrand } from '../recorders';
import dahuaEn from '../../../docs/recorders/dahua.en.md?raw';
import dahuaFr from '../../../docs/recorders/dahua.fr.md?raw';
import genericEn from '../../../docs/recorders/generic.en.md?raw';
import genericFr from '../../../docs/recorders/generic.fr.md?raw';
import hikvisionEn from '../../../docs/recorders/hikvision.en.md?raw';
import hikvisionFr from '../../../docs/recorders/hikvision.fr.md?raw';

export const RECORDER_DOCS: Record<DocBrand, Record<Language, string>> = {
  dahua: { fr: dahuaFr, en: dahuaEn },
  hikvision: { fr: hikvisionFr, en: hikvisionEn },
  generic: { fr: genericFr, en: genericEn },
};
