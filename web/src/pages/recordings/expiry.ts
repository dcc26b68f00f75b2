// Signed media URLs live for a while (an hour by default, `expires_in`): a
// page left open longer (a guard's screen, all day) asks for fresh ones
// before they stop working. These are the rules for when.
import type { Recording, RecordingMedia } from '../../api';

/** The life assumed for URLs that don't say theirs (answers without expires_in). */
const DEFAULT_LIFE_MS = 3_600_000;
/** The longest a refresh comes before the URLs expire. */
const MAX_MARGIN_MS = 5 * 60_000;
/** The longest wait after failed refreshes. */
const MAX_BACKOFF_MS = 5 * 60_000;

/** When the URLs stop working, by this browser's clock (ms). */
export function deadline(m: RecordingMedia): number {
  return m.valid_until ?? Date.parse(m.expires_at);
}

/** How long before their deadline URLs are replaced: a quarter of their life, at most 5 minutes, at least 1 s. */
export function margin(m: RecordingMedia): number {
  const life = typeof m.expires_in === 'number' ? m.expires_in * 1000 : DEFAULT_LIFE_MS;
  return Math.min(MAX_MARGIN_MS, Math.max(1000, life / 4));
}

/** When the URLs should be replaced (this browser's clock, ms). */
export function refreshAt(m: RecordingMedia): number {
  return deadline(m) - margin(m);
}

/** Whether the URLs are expired or about to be (time to read fresh ones). */
export function stale(m: RecordingMedia, now = Date.now()): boolean {
  return now >= refreshAt(m);
}

/** Whether a recording has any media URL (one still processing may have none). */
export function hasMedia(r: Recording): boolean {
  const m = r.media;
  return !!(m && (m.video_url || m.image_url || m.thumbnail_url || m.poster_url || m.strip_url || m.download_url));
}

/** The earliest time one of recs needs fresh URLs (Infinity when none does), ids in skip left out. */
export function nextRefresh(recs: Recording[], skip?: ReadonlySet<string>): number {
  let at = Infinity;
  for (const r of recs) if (hasMedia(r) && !skip?.has(r.id)) at = Math.min(at, refreshAt(r.media));
  return at;
}

/** The wait after the n-th failed refresh in a row: 2 s, 4 s, 8 s… up to 5 minutes. */
export function backoff(failures: number): number {
  return failures <= 0 ? 0 : Math.min(MAX_BACKOFF_MS, 2000 * 2 ** (failures - 1));
}
