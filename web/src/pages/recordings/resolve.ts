// Working out the filters the page opens with (client guide §2, "Remarque"):
// what the page URL says, else the guide's defaults.
import { api, type Camera, type Recording, type Site } from '../../api';
import { dayPeriod, type Period } from './dates';
import { defaultCameras, defaultDay, DETECTION_TYPES, filtersForEvent, type DetectionKind, type Filters } from './filters';

export interface SiteState {
  cameras: Camera[];
  filters: Filters;
}

/**
 * The cameras of a site and the filters to show it with: the wanted cameras
 * that exist there, else the first channel of the first device; the wanted
 * period, else the last day with recordings of those cameras (today when
 * there is none, or when the calendar can't be read); the wanted types, else all.
 */
export async function siteState(
  orgId: string,
  site: Site,
  want: { cameraIds?: string[]; period?: Period; types?: DetectionKind[] } = {},
  now = new Date(),
): Promise<SiteState> {
  const cameras = (await api.listCameras(orgId, { site_id: site.id, limit: 500 })).items;
  const known = (want.cameraIds ?? []).filter((id) => cameras.some((c) => c.id === id));
  const cameraIds = known.length ? known : defaultCameras(cameras);
  let period = want.period;
  if (!period) {
    const calendar = cameraIds.length
      ? await api.recordingCalendar(orgId, { site_id: site.id, camera_ids: cameraIds }).catch(() => undefined)
      : undefined;
    period = dayPeriod(defaultDay(calendar, site.timezone, now));
  }
  return { cameras, filters: { siteId: site.id, cameraIds, period, types: want.types ?? [...DETECTION_TYPES] } };
}

/** An event opened from a link: the event, and its site, camera and day as filters. */
export async function eventState(orgId: string, id: string, sites: Site[]): Promise<SiteState & { rec: Recording }> {
  const rec = await api.getRecording(orgId, id);
  const site = sites.find((s) => s.id === rec.site_id);
  if (!site) throw new Error('site not found');
  const f = filtersForEvent(rec, site.timezone);
  const st = await siteState(orgId, site, { cameraIds: f.cameraIds, period: f.period });
  return { ...st, rec };
}
