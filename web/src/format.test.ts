// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { formatDateTime } from './format';

describe('formatDateTime', () => {
  it('shows a time in a given zone and names the zone', () => {
    expect(formatDateTime('2026-02-05T10:12:10Z', 'fr', 'Africa/Tunis')).toBe('5 févr. 2026, 11:12:10 UTC+1');
    expect(formatDateTime('2026-02-05T10:12:10Z', 'en', 'UTC')).toBe('5 Feb 2026, 10:12:10 UTC');
  });

  it('falls back to the browser zone for an unknown zone, and a dash for no date', () => {
    expect(formatDateTime('2026-02-05T10:12:10Z', 'en', 'Nowhere/City')).toBe(formatDateTime('2026-02-05T10:12:10Z', 'en'));
    expect(formatDateTime(null, 'fr', 'UTC')).toBe('—');
    expect(formatDateTime('not a date', 'fr')).toBe('—');
  });
});
