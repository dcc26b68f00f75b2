// Recorder vocabulary and formatting shared by the recorders, wizard and cameras pages.
import type { Manufacturer, RecorderStatus, RecorderType } from './api';

/** In the order of the add dialog's "Fabricant" list. */
export const MANUFACTURERS: readonly Manufacturer[] = ['dahua', 'hikvision', 'uniview', 'axis', 'reolink', 'other'];

/** In the order of the add dialog's "Type de l'enregistreur" list. */
export const RECORDER_TYPES: readonly RecorderType[] = ['nvr', 'dvr', 'ip_camera'];

export const MIN_CAMERAS = 1;
export const MAX_CAMERAS = 256;
export const MAX_RETENTION_DAYS = 3650;

/** Per-brand setup guides served by the help page (/help/recorders/:brand). */
export type DocBrand = 'dahua' | 'hikvision' | 'generic';
export const DOC_BRANDS: readonly DocBrand[] = ['dahua', 'hikvision', 'generic'];

export function docBrandOf(m: Manufacturer): DocBrand {
  return m === 'dahua' || m === 'hikvision' ? m : 'generic';
}

export function isDocBrand(s: string | undefined): s is DocBrand {
  return !!s && (DOC_BRANDS as readonly string[]).includes(s);
}

/** MUI colour of a health badge: online green, offline red, never grey. */
export const STATUS_COLOR: Record<RecorderStatus, 'success' | 'error' | 'default'> = {
  online: 'success',
  offline: 'error',
  never: 'default',
};

/** "150 GB" (virtual disks are sold in decimal gigabytes). */
export function formatCapacity(gb: number, lang: string): string {
  return `${new Intl.NumberFormat(lang.startsWith('fr') ? 'fr-FR' : 'en-GB').format(gb)} GB`;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** Bytes in decimal units, one decimal under 100: "0 B", "950 KB", "1.5 GB", "12.3 GB". */
export function formatBytes(bytes: number, lang: string): string {
  let v = Math.max(0, bytes);
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  const digits = u === 0 || v >= 100 ? 0 : 1;
  const n = new Intl.NumberFormat(lang.startsWith('fr') ? 'fr-FR' : 'en-GB', {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  }).format(v);
  return `${n} ${UNITS[u]}`;
}

/** Share of the disk in use, 0–100 (a disk over its quota shows full). */
export function usedPercent(usedBytes: number, capacityGb: number): number {
  if (capacityGb <= 0) return 0;
  return Math.min(100, Math.max(0, (usedBytes / (capacityGb * 1e9)) * 100));
}

/** Parses an integer field; null when it is not a whole number within [min, max]. */
export function parseIntIn(value: string, min: number, max: number): number | null {
  const s = value.trim();
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}
