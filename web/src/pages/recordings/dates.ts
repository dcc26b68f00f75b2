// Days, months and periods of the recordings page, without a date library.
// A day is a "YYYY-MM-DD" string in the site's time zone (the API reads
// dates in that zone), so days compare as strings and never shift with the
// browser's own zone.

/** "YYYY-MM-DD". */
export type Day = string;
/** "YYYY-MM". */
export type Month = string;

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** The day of a UTC date's calendar fields. */
function fromUTC(d: Date): Day {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function toUTC(day: Day): Date {
  const m = DAY_RE.exec(day);
  if (!m) throw new Error(`not a day: ${day}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

/** Whether s is a real calendar day "YYYY-MM-DD". */
export function isDay(s: string | null | undefined): s is Day {
  if (!s || !DAY_RE.test(s)) return false;
  return fromUTC(toUTC(s)) === s;
}

/** Whether s is a time of day "HH:MM". */
export function isTime(s: string | null | undefined): s is string {
  return !!s && TIME_RE.test(s);
}

export function addDays(day: Day, n: number): Day {
  const d = toUTC(day);
  d.setUTCDate(d.getUTCDate() + n);
  return fromUTC(d);
}

export function monthOf(day: Day): Month {
  return day.slice(0, 7);
}

export function addMonths(month: Month, n: number): Month {
  const d = toUTC(`${month}-01`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return fromUTC(d).slice(0, 7);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: Day): number {
  return toUTC(day).getUTCDay();
}

export interface Cell {
  day: Day;
  /** False for the days of the neighbouring months that fill the first and last weeks. */
  inMonth: boolean;
}

/**
 * The weeks of a month as shown by a calendar: whole weeks starting on
 * weekStart (1 = Monday, 0 = Sunday), always six of them so that the
 * calendar keeps its height from month to month.
 */
export function monthGrid(month: Month, weekStart = 1): Cell[][] {
  const first = `${month}-01`;
  const back = (weekday(first) - weekStart + 7) % 7;
  let day = addDays(first, -back);
  const weeks: Cell[][] = [];
  for (let w = 0; w < 6; w++) {
    const week: Cell[] = [];
    for (let i = 0; i < 7; i++) {
      week.push({ day, inMonth: monthOf(day) === month });
      day = addDays(day, 1);
    }
    weeks.push(week);
  }
  return weeks;
}

/** The calendar fields of an instant in a time zone ("" zone or an unknown one: the browser's). */
export function zonedParts(instant: Date | string, timeZone?: string): { day: Day; time: string; seconds: string } {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  let parts: Intl.DateTimeFormatPart[];
  const opts: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  };
  try {
    parts = new Intl.DateTimeFormat('en-GB', { ...opts, timeZone: timeZone || undefined }).formatToParts(d);
  } catch {
    parts = new Intl.DateTimeFormat('en-GB', opts).formatToParts(d);
  }
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '00';
  const time = `${get('hour')}:${get('minute')}`;
  return { day: `${get('year')}-${get('month')}-${get('day')}`, time, seconds: `${time}:${get('second')}` };
}

/** Today in a time zone. */
export function todayIn(timeZone: string | undefined, now: Date = new Date()): Day {
  return zonedParts(now, timeZone).day;
}

// --- periods ---------------------------------------------------------------------

/** A period of the filter: from start at startTime to end at endTime, both included. */
export interface Period {
  start: Day;
  end: Day;
  startTime: string;
  endTime: string;
}

export const DAY_START = '00:00';
export const DAY_END = '23:59';

/** One whole day. */
export function dayPeriod(day: Day): Period {
  return { start: day, end: day, startTime: DAY_START, endTime: DAY_END };
}

/** The calendar's selection while the user picks: a start, then an end. */
export interface Draft {
  start: Day | null;
  end: Day | null;
}

/**
 * A click on a day: the first click sets the start; the second sets the
 * end (the same day again: a single day); a day before the start, or a click
 * once both are set, starts over from that day.
 */
export function pickDay(draft: Draft, day: Day): Draft {
  if (!draft.start || draft.end || day < draft.start) return { start: day, end: null };
  return { start: draft.start, end: day };
}

/** How a day of the calendar is coloured for a draft. */
export type DayRole = 'single' | 'start' | 'end' | 'inside' | 'none';

export function dayRole(draft: Draft, day: Day): DayRole {
  const { start } = draft;
  if (!start) return 'none';
  const end = draft.end ?? start;
  if (day === start && day === end) return 'single';
  if (day === start) return 'start';
  if (day === end) return 'end';
  return day > start && day < end ? 'inside' : 'none';
}

/**
 * What "Apply" makes of a draft and its times: one day when only a start was
 * picked; null when nothing is picked, a time is malformed or the period ends
 * before it starts.
 */
export function applyDraft(draft: Draft, startTime: string, endTime: string): Period | null {
  if (!draft.start || !isTime(startTime) || !isTime(endTime)) return null;
  const p = { start: draft.start, end: draft.end ?? draft.start, startTime, endTime };
  return p.start === p.end && p.endTime < p.startTime ? null : p;
}

/** Adds one minute to a wall-clock day and time. */
function nextMinute(day: Day, time: string): { day: Day; time: string } {
  const [h, m] = time.split(':').map(Number);
  const total = h * 60 + m + 1;
  if (total >= 24 * 60) return { day: addDays(day, 1), time: DAY_START };
  return { day, time: `${pad(Math.floor(total / 60))}:${pad(total % 60)}` };
}

/**
 * The API's from/to of a period, read by the server in the site's time zone:
 * whole days as dates (a date as "to" means the end of that day, whatever
 * its length on daylight-saving days), otherwise wall-clock times with the
 * end made exclusive (23:59 included means before the next minute).
 */
export function periodQuery(p: Period): { from: string; to: string } {
  const from = p.startTime === DAY_START ? p.start : `${p.start}T${p.startTime}`;
  if (p.endTime === DAY_END) return { from, to: p.end };
  const n = nextMinute(p.end, p.endTime);
  return { from, to: `${n.day}T${n.time}` };
}

/** The days of a period, first to last (at most `max`, for a timeline of each). */
export function periodDays(p: Period, max = 366): Day[] {
  const out: Day[] = [];
  for (let d = p.start; d <= p.end && out.length < max; d = addDays(d, 1)) out.push(d);
  return out;
}

/** "05/02" (day/month, as the guide and the app's en-GB dates), or "05/02/2025" when the year isn't currentYear. */
export function shortDay(day: Day, currentYear?: number): string {
  const [y, m, d] = day.split('-');
  const withYear = currentYear !== undefined && Number(y) !== currentYear;
  return withYear ? `${d}/${m}/${y}` : `${d}/${m}`;
}

/** "05/02/2026": a list's day heading. */
export function longDay(day: Day): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

/** The month's name and year in the UI language ("février 2026"). */
export function monthTitle(month: Month, lang: string): string {
  const d = toUTC(`${month}-01`);
  return new Intl.DateTimeFormat(lang.startsWith('fr') ? 'fr-FR' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
}

/** The narrow names of the week's days from weekStart ("L M M J V S D"). */
export function weekdayNames(lang: string, weekStart = 1): string[] {
  const f = new Intl.DateTimeFormat(lang.startsWith('fr') ? 'fr-FR' : 'en-GB', { weekday: 'short', timeZone: 'UTC' });
  // 2026-02-01 is a Sunday.
  return Array.from({ length: 7 }, (_, i) => f.format(toUTC(addDays('2026-02-01', (weekStart + i) % 7))));
}

/**
 * What a person typed as a time, as "HH:MM": "8" → "08:00", "830" or "8h30"
 * → "08:30", "8:5" → "08:05"; null when it is no time of day.
 */
export function normaliseTime(typed: string): string | null {
  const s = typed.trim().toLowerCase().replace(/\s+/g, '');
  let m = /^(\d{1,2})(?:[:h.](\d{1,2})?)?$/.exec(s);
  if (!m && /^\d{3,4}$/.test(s)) m = /^(\d{1,2})(\d{2})$/.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (h > 23 || min > 59) return null;
  return `${pad(h)}:${pad(min)}`;
}
