// The filters of the recordings page: their defaults (client guide §2), the
// page URL that carries them, and the API parameters they make.
import type { Camera, RecordingCalendar, RecordingFilter, Site } from '../../api';
import { DAY_END, DAY_START, dayPeriod, isDay, isTime, periodQuery, todayIn, type Day, type Period } from './dates';

/** The basic detection types of the filter, in the order the guide names them. */
export const DETECTION_TYPES = ['motion', 'person', 'vehicle', 'animal'] as const;
/** A basic type or a HOLO4 algorithm id (client guide §2.5). */
export type DetectionKind = string;

/** What a HOLO4 algorithm id looks like (the catalogue itself comes from the API). */
const ALGORITHM_ID = /^[a-z0-9][a-z0-9_]{0,63}$/;
const isBasic = (t: string) => (DETECTION_TYPES as readonly string[]).includes(t);

export interface Filters {
  siteId: string;
  cameraIds: string[];
  period: Period;
  /** Selected types; all of them (the default) means no detection filter. */
  types: DetectionKind[];
}

/**
 * The `detections` (API) and `types` (page URL) parameter: none when every
 * basic type is selected (the default, which also keeps recordings without
 * detections: HOLO4 algorithms add nothing to it); otherwise the selected
 * basic types in the guide's order, then the selected HOLO4 algorithms.
 */
export function typesParam(types: readonly string[]): string[] | undefined {
  const all = DETECTION_TYPES.every((t) => types.includes(t));
  if (all) return undefined;
  return [...DETECTION_TYPES.filter((t) => types.includes(t)), ...new Set(types.filter((t) => !isBasic(t) && ALGORITHM_ID.test(t)))];
}

/** Site, cameras and types of the API filter. */
export function apiFilter(f: Pick<Filters, 'siteId' | 'cameraIds' | 'types'>): RecordingFilter {
  return { site_id: f.siteId || undefined, camera_ids: f.cameraIds.length ? f.cameraIds : undefined, detections: typesParam(f.types) };
}

/** The parameters of the list call. */
export function listQuery(f: Filters): RecordingFilter & { from: string; to: string } {
  return { ...apiFilter(f), ...periodQuery(f.period) };
}

// --- defaults (client guide §2, "Remarque") -----------------------------------------

/** The first site. */
export function defaultSite(sites: readonly Site[]): string {
  return sites[0]?.id ?? '';
}

/** The first channel of the first device: the API lists cameras by recorder, then number. */
export function defaultCameras(cameras: readonly Camera[]): string[] {
  return cameras.length ? [cameras[0].id] : [];
}

/** The last date with recordings, else today in the site's time zone. */
export function defaultDay(calendar: Pick<RecordingCalendar, 'last_day'> | undefined, timeZone: string | undefined, now = new Date()): Day {
  return calendar?.last_day && isDay(calendar.last_day) ? calendar.last_day : todayIn(timeZone, now);
}

// --- the page URL ---------------------------------------------------------------

/** What the page URL says; anything it doesn't say falls back to the defaults. */
export interface UrlState {
  siteId?: string;
  cameraIds?: string[];
  period?: Period;
  types?: DetectionKind[];
  event?: string;
}

function splitList(v: string | null): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** "2026-02-05" or "2026-02-05T08:30" → day and time (time defaulting to def). */
function readBound(v: string | null, def: string): { day: Day; time: string } | null {
  if (!v) return null;
  const [day, time = def] = v.split('T');
  return isDay(day) && isTime(time) ? { day, time } : null;
}

function writeBound(day: Day, time: string, def: string): string {
  return time === def ? day : `${day}T${time}`;
}

/** Reads the page's query string; malformed values are ignored. */
export function readUrl(search: URLSearchParams): UrlState {
  const out: UrlState = {};
  const site = search.get('site');
  if (site) out.siteId = site;
  if (search.has('cameras')) out.cameraIds = splitList(search.get('cameras'));
  const from = readBound(search.get('from'), DAY_START);
  const to = readBound(search.get('to'), DAY_END) ?? (from ? { day: from.day, time: DAY_END } : null);
  if (from && to && (from.day < to.day || (from.day === to.day && from.time <= to.time))) {
    out.period = { start: from.day, startTime: from.time, end: to.day, endTime: to.time };
  }
  if (search.has('types')) {
    const listed = splitList(search.get('types'));
    out.types = [...DETECTION_TYPES.filter((t) => listed.includes(t)), ...new Set(listed.filter((t) => !isBasic(t) && ALGORITHM_ID.test(t)))];
  }
  const event = search.get('event');
  if (event) out.event = event;
  return out;
}

/** The page's query string for filters (types only when some are left out) and the open event. */
export function writeUrl(f: Filters, event?: string): URLSearchParams {
  const q = new URLSearchParams();
  if (f.siteId) q.set('site', f.siteId);
  if (f.cameraIds.length) q.set('cameras', f.cameraIds.join(','));
  q.set('from', writeBound(f.period.start, f.period.startTime, DAY_START));
  q.set('to', writeBound(f.period.end, f.period.endTime, DAY_END));
  const types = typesParam(f.types);
  if (types) q.set('types', types.join(','));
  if (event) q.set('event', event);
  return q;
}

/** The link to one event for a colleague: it opens the event once they are signed in. */
export function eventLink(origin: string, id: string): string {
  return `${origin}/recordings?event=${encodeURIComponent(id)}`;
}

/** The filters that show an event opened from a link: its site, its camera, its day, every type. */
export function filtersForEvent(ev: { site_id: string; camera_id: string; start: string }, timeZone: string | undefined): Filters {
  return {
    siteId: ev.site_id,
    cameraIds: [ev.camera_id],
    period: dayPeriod(todayIn(timeZone, new Date(ev.start))),
    types: [...DETECTION_TYPES],
  };
}
