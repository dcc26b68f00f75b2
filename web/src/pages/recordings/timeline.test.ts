// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { bucketPeriod, clickedAt, jumpTarget, nearestBusy, nearestEvent, position, type Bucket } from './timeline';

// A day of Paris in winter: 24 hours from 23:00 UTC the day before.
const day: Bucket[] = Array.from({ length: 24 }, (_, h) => ({ start: new Date(Date.UTC(2026, 1, 4, 23 + h)).toISOString(), count: 0 }));

describe('timeline strip', () => {
  it('finds the hour and the instant under a click', () => {
    expect(clickedAt(day, 0)).toEqual({ index: 0, at: Date.UTC(2026, 1, 4, 23) });
    const c = clickedAt(day, 12.5 / 24);
    expect(c.index).toBe(12);
    expect(new Date(c.at).toISOString()).toBe('2026-02-05T11:30:00.000Z');
    expect(clickedAt(day, 1).index).toBe(23);
  });

  it('goes to the nearest hour with events', () => {
    const b = day.map((x, i) => ({ ...x, count: i === 3 || i === 9 ? 2 : 0 }));
    expect(nearestBusy(b, 3)).toBe(3);
    expect(nearestBusy(b, 5)).toBe(3);
    expect(nearestBusy(b, 7)).toBe(9);
    expect(nearestBusy(b, 23)).toBe(9);
    expect(nearestBusy(day, 5)).toBe(-1);
  });

  it('aims at the edge of the nearest busy hour', () => {
    const b = day.map((x, i) => ({ ...x, count: i === 12 ? 1 : 0 }));
    // A click at 03:00 (Paris) aims at the start of 12:00, one at 20:00 at the end of 12:59.
    expect(new Date(jumpTarget(b, 3 / 24)!.at).toISOString()).toBe('2026-02-05T11:00:00.000Z');
    expect(new Date(jumpTarget(b, 20 / 24)!.at).toISOString()).toBe('2026-02-05T11:59:59.999Z');
    expect(jumpTarget(b, 12.5 / 24)).toEqual(clickedAt(b, 12.5 / 24));
    expect(jumpTarget(day, 0.5)).toBeNull();
    expect(jumpTarget([], 0.5)).toBeNull();
  });

  it('reads a bucket as a period and picks the nearest event in it', () => {
    expect(bucketPeriod(day, 1)).toEqual({ from: '2026-02-05T00:00:00.000Z', to: '2026-02-05T01:00:00.000Z' });
    expect(bucketPeriod(day, 23).to).toBe('2026-02-05T23:00:00.000Z');
    const evs = [{ start: '2026-02-05T00:10:00Z' }, { start: '2026-02-05T00:40:00Z' }];
    expect(nearestEvent(evs, Date.parse('2026-02-05T00:30:00Z'))).toBe(evs[1]);
    expect(nearestEvent([], 0)).toBeUndefined();
  });

  it('places an event on the strip of its day only', () => {
    expect(position(day, '2026-02-05T11:00:00Z')).toBeCloseTo(0.5);
    expect(position(day, '2026-02-05T23:00:00Z')).toBeNull();
    expect(position([], '2026-02-05T11:00:00Z')).toBeNull();
  });
});
