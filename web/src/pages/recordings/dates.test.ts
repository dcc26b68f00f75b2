// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  applyDraft,
  dayRole,
  isDay,
  normaliseTime,
  monthGrid,
  periodDays,
  periodQuery,
  pickDay,
  shortDay,
  todayIn,
  weekdayNames,
  zonedParts,
  type Draft,
} from './dates';

describe('days and months', () => {
  it('checks real calendar days', () => {
    expect(isDay('2026-02-05')).toBe(true);
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('2026-2-5')).toBe(false);
    expect(isDay('')).toBe(false);
  });

  it('adds days and months across month and year ends', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
  });

  it('lays a month out in six whole weeks starting on Monday', () => {
    const weeks = monthGrid('2026-02');
    expect(weeks).toHaveLength(6);
    // 1 February 2026 is a Sunday: the first week starts on Monday 26 January.
    expect(weeks[0][0]).toEqual({ day: '2026-01-26', inMonth: false });
    expect(weeks[0][6]).toEqual({ day: '2026-02-01', inMonth: true });
    expect(weeks.flat().filter((c) => c.inMonth)).toHaveLength(28);
    expect(monthGrid('2026-02', 0)[0][0].day).toBe('2026-02-01');
  });

  it('names the week days in the UI language', () => {
    expect(weekdayNames('fr')[0]).toMatch(/^lun/);
    expect(weekdayNames('en')[6]).toMatch(/^Sun/);
  });

  it("reads an instant in the site's time zone", () => {
    // 23:30 UTC on 4 February is already 5 February in Paris (UTC+1) but not in New York.
    expect(zonedParts('2026-02-04T23:30:15Z', 'Europe/Paris')).toEqual({ day: '2026-02-05', time: '00:30', seconds: '00:30:15' });
    expect(zonedParts('2026-02-04T23:30:15Z', 'America/New_York').day).toBe('2026-02-04');
    expect(todayIn('Africa/Tunis', new Date('2026-07-01T23:30:00Z'))).toBe('2026-07-02');
    // An unknown zone falls back to the browser's instead of throwing.
    expect(isDay(todayIn('Mars/Olympus'))).toBe(true);
  });

  it('reads the times people type', () => {
    expect(normaliseTime('8')).toBe('08:00');
    expect(normaliseTime('08:30')).toBe('08:30');
    expect(normaliseTime('830')).toBe('08:30');
    expect(normaliseTime('1745')).toBe('17:45');
    expect(normaliseTime('8h30')).toBe('08:30');
    expect(normaliseTime(' 8:5 ')).toBe('08:05');
    expect(normaliseTime('23:59')).toBe('23:59');
    expect(normaliseTime('24:00')).toBeNull();
    expect(normaliseTime('12:60')).toBeNull();
    expect(normaliseTime('midi')).toBeNull();
    expect(normaliseTime('')).toBeNull();
  });

  it('writes short days as the guide does', () => {
    expect(shortDay('2026-02-05')).toBe('05/02');
    expect(shortDay('2025-12-31', 2026)).toBe('31/12/2025');
    expect(shortDay('2026-12-31', 2026)).toBe('31/12');
  });
});

describe('picking a period in the calendar', () => {
  const none: Draft = { start: null, end: null };

  it('takes the start, then the end', () => {
    const a = pickDay(none, '2026-02-03');
    expect(a).toEqual({ start: '2026-02-03', end: null });
    const b = pickDay(a, '2026-02-05');
    expect(b).toEqual({ start: '2026-02-03', end: '2026-02-05' });
    expect(applyDraft(b, '00:00', '23:59')).toEqual({ start: '2026-02-03', end: '2026-02-05', startTime: '00:00', endTime: '23:59' });
  });

  it('makes a single day of one click and Apply', () => {
    const a = pickDay(none, '2026-02-05');
    expect(applyDraft(a, '00:00', '23:59')).toEqual({ start: '2026-02-05', end: '2026-02-05', startTime: '00:00', endTime: '23:59' });
  });

  it('makes a single day of the same day clicked twice', () => {
    const a = pickDay(pickDay(none, '2026-02-05'), '2026-02-05');
    expect(a).toEqual({ start: '2026-02-05', end: '2026-02-05' });
    expect(dayRole(a, '2026-02-05')).toBe('single');
  });

  it('starts over on a day before the start, or once both ends are set', () => {
    const a = pickDay(none, '2026-02-10');
    expect(pickDay(a, '2026-02-01')).toEqual({ start: '2026-02-01', end: null });
    const b = pickDay(a, '2026-02-12');
    expect(pickDay(b, '2026-02-11')).toEqual({ start: '2026-02-11', end: null });
  });

  it('colours the selection', () => {
    const d: Draft = { start: '2026-02-03', end: '2026-02-05' };
    expect(['2026-02-02', '2026-02-03', '2026-02-04', '2026-02-05', '2026-02-06'].map((x) => dayRole(d, x))).toEqual([
      'none',
      'start',
      'inside',
      'end',
      'none',
    ]);
    expect(dayRole({ start: '2026-02-03', end: null }, '2026-02-03')).toBe('single');
    expect(dayRole(none, '2026-02-03')).toBe('none');
  });

  it('refuses nothing picked, a bad time and an end before the start', () => {
    expect(applyDraft(none, '00:00', '23:59')).toBeNull();
    expect(applyDraft({ start: '2026-02-05', end: null }, '25:00', '23:59')).toBeNull();
    expect(applyDraft({ start: '2026-02-05', end: null }, '12:00', '11:59')).toBeNull();
    expect(applyDraft({ start: '2026-02-05', end: '2026-02-06' }, '12:00', '11:59')).not.toBeNull();
  });
});

describe('the API period', () => {
  it('sends whole days as dates', () => {
    expect(periodQuery({ start: '2026-02-05', end: '2026-02-05', startTime: '00:00', endTime: '23:59' })).toEqual({
      from: '2026-02-05',
      to: '2026-02-05',
    });
  });

  it('sends times with an exclusive end one minute after the last included one', () => {
    expect(periodQuery({ start: '2026-02-05', end: '2026-02-06', startTime: '08:30', endTime: '17:59' })).toEqual({
      from: '2026-02-05T08:30',
      to: '2026-02-06T18:00',
    });
    expect(periodQuery({ start: '2026-02-05', end: '2026-02-28', startTime: '00:00', endTime: '09:00' }).to).toBe('2026-02-28T09:01');
  });

  it('lists the days of a period', () => {
    expect(periodDays({ start: '2026-02-27', end: '2026-03-02', startTime: '00:00', endTime: '23:59' })).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
  });
});
