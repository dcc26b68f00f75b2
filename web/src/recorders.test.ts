// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { docBrandOf, formatBytes, formatCapacity, isDocBrand, parseIntIn, usedPercent } from './recorders';

describe('recorder helpers', () => {
  it('formats disk sizes like the guide ("150 GB") in both languages', () => {
    expect(formatCapacity(150, 'fr')).toBe('150 GB');
    expect(formatCapacity(150, 'en')).toBe('150 GB');
    expect(formatCapacity(2000, 'en')).toBe('2,000 GB');
  });

  it('formats bytes in decimal units', () => {
    expect(formatBytes(0, 'en')).toBe('0 B');
    expect(formatBytes(950_000, 'en')).toBe('950 KB');
    expect(formatBytes(1_500_000_000, 'en')).toBe('1.5 GB');
    expect(formatBytes(1_500_000_000, 'fr')).toBe('1,5 GB');
    expect(formatBytes(123_456_789_012, 'en')).toBe('123 GB');
    expect(formatBytes(-5, 'en')).toBe('0 B');
  });

  it('computes the used share, capped at 100', () => {
    expect(usedPercent(37_500_000_000, 150)).toBe(25);
    expect(usedPercent(200e9, 150)).toBe(100);
    expect(usedPercent(1, 0)).toBe(0);
  });

  it('maps manufacturers to their setup guide', () => {
    expect(docBrandOf('dahua')).toBe('dahua');
    expect(docBrandOf('hikvision')).toBe('hikvision');
    for (const m of ['uniview', 'axis', 'reolink', 'other'] as const) expect(docBrandOf(m)).toBe('generic');
    expect(isDocBrand('generic')).toBe(true);
    expect(isDocBrand('axis')).toBe(false);
    expect(isDocBrand(undefined)).toBe(false);
  });

  it('parses whole numbers within bounds', () => {
    expect(parseIntIn('16', 1, 256)).toBe(16);
    expect(parseIntIn(' 1 ', 1, 256)).toBe(1);
    expect(parseIntIn('0', 1, 256)).toBeNull();
    expect(parseIntIn('257', 1, 256)).toBeNull();
    expect(parseIntIn('1.5', 1, 256)).toBeNull();
    expect(parseIntIn('', 0, 10)).toBeNull();
    expect(parseIntIn('0', 0, 3650)).toBe(0);
  });
});
