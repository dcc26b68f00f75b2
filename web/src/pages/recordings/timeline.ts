// The arithmetic of the 24-hour timeline strip: where a click falls, which
// hour holds the nearest events, where an event sits on the strip.

export interface Bucket {
  start: string;
  count: number;
}

const HOUR = 3_600_000;

/** The instant under a click at fraction f (0…1) of a strip of buckets, and the bucket it falls in. */
export function clickedAt(buckets: readonly Bucket[], f: number): { index: number; at: number } {
  const n = buckets.length;
  const x = Math.min(Math.max(f, 0), 0.999999) * n;
  const index = Math.floor(x);
  return { index, at: Date.parse(buckets[index].start) + (x - index) * HOUR };
}

/** The bucket with events nearest to index (itself first, then alternately later and earlier), or -1. */
export function nearestBusy(buckets: readonly Bucket[], index: number): number {
  for (let d = 0; d < buckets.length; d++) {
    for (const i of d ? [index + d, index - d] : [index]) {
      if (i >= 0 && i < buckets.length && buckets[i].count > 0) return i;
    }
  }
  return -1;
}

/** The period of one bucket, as RFC 3339 instants. */
export function bucketPeriod(buckets: readonly Bucket[], i: number): { from: string; to: string } {
  const start = Date.parse(buckets[i].start);
  const end = i + 1 < buckets.length ? Date.parse(buckets[i + 1].start) : start + HOUR;
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

/** Of some events, the one starting nearest to an instant. */
export function nearestEvent<T extends { start: string }>(events: readonly T[], at: number): T | undefined {
  let best: T | undefined;
  let gap = Infinity;
  for (const e of events) {
    const g = Math.abs(Date.parse(e.start) - at);
    if (g < gap) [best, gap] = [e, g];
  }
  return best;
}

/** Where an instant sits on the strip (0…1), or null outside its day. */
export function position(buckets: readonly Bucket[], iso: string): number | null {
  if (!buckets.length) return null;
  const start = Date.parse(buckets[0].start);
  const end = Date.parse(buckets[buckets.length - 1].start) + HOUR;
  const t = Date.parse(iso);
  return t < start || t >= end ? null : (t - start) / (end - start);
}

/**
 * Where a click at fraction f leads: the busiest-nearest hour with events and
 * the instant to look for in it (the click itself, or the edge of that hour
 * nearest to the click); null when the day has no events.
 */
export function jumpTarget(buckets: readonly Bucket[], f: number): { index: number; at: number } | null {
  if (!buckets.length) return null;
  const c = clickedAt(buckets, f);
  const i = nearestBusy(buckets, c.index);
  if (i < 0) return null;
  if (i === c.index) return c;
  const { from, to } = bucketPeriod(buckets, i);
  return { index: i, at: i > c.index ? Date.parse(from) : Date.parse(to) - 1 };
}
