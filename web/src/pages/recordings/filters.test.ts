// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { recordingQuery } from '../../api';
import { makeCameras, SITES } from '../../test/fixtures';
import {
  DETECTION_TYPES,
  defaultCameras,
  defaultDay,
  defaultSite,
  eventLink,
  filtersForEvent,
  listQuery,
  readUrl,
  typesParam,
  writeUrl,
  type Filters,
} from './filters';

const day = { start: '2026-02-05', end: '2026-02-05', startTime: '00:00', endTime: '23:59' };

describe('defaults of the guide', () => {
  it('selects the first site and the first channel of the first device', () => {
    expect(defaultSite(SITES)).toBe('s1');
    expect(defaultSite([])).toBe('');
    const cams = [...makeCameras(2, { recorder_id: 'rA', recorder_name: 'Alpha' }), ...makeCameras(3, { recorder_id: 'rB', recorder_name: 'Beta' })];
    expect(defaultCameras(cams)).toEqual(['c1']);
    expect(defaultCameras([])).toEqual([]);
  });

  it('selects the last date with recordings, else today in the site', () => {
    expect(defaultDay({ last_day: '2026-02-05' }, 'Europe/Paris', new Date('2026-03-01T12:00:00Z'))).toBe('2026-02-05');
    expect(defaultDay({ last_day: '' }, 'Europe/Paris', new Date('2026-03-01T23:30:00Z'))).toBe('2026-03-02');
    expect(defaultDay(undefined, 'UTC', new Date('2026-03-01T23:30:00Z'))).toBe('2026-03-01');
  });

  it('selects every detection type, which sends no types parameter', () => {
    expect(typesParam([...DETECTION_TYPES])).toBeUndefined();
    expect(typesParam(['animal', 'person'])).toEqual(['person', 'animal']);
    expect(typesParam([])).toEqual([]);
    // HOLO4 algorithms: after the basic types; with every basic type selected they add nothing.
    expect(typesParam(['yellow_taxi', 'person', 'no_helmet'])).toEqual(['person', 'yellow_taxi', 'no_helmet']);
    expect(typesParam(['no_helmet'])).toEqual(['no_helmet']);
    expect(typesParam([...DETECTION_TYPES, 'no_helmet'])).toBeUndefined();
  });
});

describe('URLs', () => {
  const f: Filters = { siteId: 's1', cameraIds: ['c1', 'c2'], period: day, types: [...DETECTION_TYPES] };

  it('builds the list call', () => {
    expect(recordingQuery(listQuery(f))).toBe('?site_id=s1&camera_ids=c1%2Cc2&from=2026-02-05&to=2026-02-05');
    const some = { ...f, cameraIds: [], types: ['person', 'vehicle'] as Filters['types'], period: { ...day, startTime: '08:00' } };
    expect(recordingQuery({ ...listQuery(some), limit: 50 })).toBe('?site_id=s1&detections=person%2Cvehicle&from=2026-02-05T08%3A00&to=2026-02-05&limit=50');
  });

  it('writes and reads back the page URL', () => {
    const q = writeUrl(f, 'rec1');
    expect(q.toString()).toBe('site=s1&cameras=c1%2Cc2&from=2026-02-05&to=2026-02-05&event=rec1');
    expect(readUrl(q)).toEqual({ siteId: 's1', cameraIds: ['c1', 'c2'], period: day, types: undefined, event: 'rec1' });
    const some: Filters = { ...f, types: ['animal'], period: { start: '2026-02-01', end: '2026-02-05', startTime: '08:00', endTime: '18:30' } };
    const back = readUrl(writeUrl(some));
    expect(back.period).toEqual(some.period);
    expect(back.types).toEqual(['animal']);
  });

  it('ignores malformed values in the page URL', () => {
    expect(readUrl(new URLSearchParams('from=2026-02-31&types=person,Rocket!,a b'))).toEqual({ types: ['person'] });
    // HOLO4 algorithm ids ride along (the catalogue is the API's, not the page's).
    expect(readUrl(new URLSearchParams('types=no_helmet,person,no_helmet'))).toEqual({ types: ['person', 'no_helmet'] });
    // An end before the start is no period.
    expect(readUrl(new URLSearchParams('from=2026-02-05&to=2026-02-01')).period).toBeUndefined();
    // A start alone is that day.
    expect(readUrl(new URLSearchParams('from=2026-02-05')).period).toEqual(day);
  });

  it("links to an event for a colleague, and opens it in its camera's day", () => {
    expect(eventLink('https://c2d.example', 'a b')).toBe('https://c2d.example/recordings?event=a%20b');
    const f2 = filtersForEvent({ site_id: 's2', camera_id: 'c9', start: '2026-02-04T23:30:00Z' }, 'Europe/Paris');
    expect(f2).toEqual({ siteId: 's2', cameraIds: ['c9'], period: day, types: [...DETECTION_TYPES] });
  });
});
