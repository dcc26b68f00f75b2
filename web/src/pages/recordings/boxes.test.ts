// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { boxesAt, boxesKey, containRect, HOLD_MS, placeBox, scoreLabel } from './boxes';

const det = (start: number, end: number, box = [0.1, 0.2, 0.3, 0.4], type = 'person') => ({
  type,
  box,
  start_offset_ms: start,
  end_offset_ms: end,
});

describe('containRect', () => {
  it('puts bars on the sides of a 4:3 picture in a 16:9 element', () => {
    // 640×480 in 800×450: scaled to 600×450, 100 px each side.
    expect(containRect(640, 480, 800, 450)).toEqual({ left: 100, top: 0, width: 600, height: 450 });
  });

  it('puts bars above and below a 16:9 picture in a square element', () => {
    expect(containRect(1280, 720, 400, 400)).toEqual({ left: 0, top: 87.5, width: 400, height: 225 });
  });

  it('fills an element of the same ratio, scaling up a small picture', () => {
    expect(containRect(320, 180, 1280, 720)).toEqual({ left: 0, top: 0, width: 1280, height: 720 });
  });

  it('is unknown until both sizes are', () => {
    expect(containRect(0, 0, 800, 450)).toBeNull();
    expect(containRect(640, 480, 0, 450)).toBeNull();
    expect(containRect(Number.NaN, 480, 800, 450)).toBeNull();
  });
});

/** Rounds a rectangle to 1/1000 px: the maths is floating point. */
const round = (r: { left: number; top: number; width: number; height: number }) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v * 1000) / 1000]));

describe('placeBox', () => {
  const pic = { left: 100, top: 0, width: 600, height: 450 };

  it('maps fractions of the frame onto the picture, not the bars', () => {
    expect(placeBox([0, 0, 1, 1], pic)).toEqual(pic);
    expect(round(placeBox([0.5, 0.5, 0.25, 0.2], pic))).toEqual({ left: 400, top: 225, width: 150, height: 90 });
  });

  it('clips a box that overflows the frame', () => {
    expect(round(placeBox([-0.1, 0.9, 0.3, 0.2], pic))).toEqual({ left: 100, top: 405, width: 120, height: 45 });
  });
});

describe('boxesAt', () => {
  const dets = [det(1000, 3000), det(5000, 5000, [0.5, 0.5, 0.1, 0.1], 'animal'), det(0, 10000, [], 'motion'), det(2000, 4000, [0.1, 0.1, 0, 0.2], 'vehicle')];

  it('keeps the detections whose time window holds t', () => {
    expect(boxesAt(dets, 999).map((d) => d.type)).toEqual([]);
    expect(boxesAt(dets, 1000).map((d) => d.type)).toEqual(['person']);
    expect(boxesAt(dets, 3000 + HOLD_MS).map((d) => d.type)).toEqual(['person']);
    expect(boxesAt(dets, 3001 + HOLD_MS).map((d) => d.type)).toEqual([]);
  });

  it('holds a detection seen on one sampled frame for a moment', () => {
    expect(boxesAt(dets, 5000).map((d) => d.type)).toEqual(['animal']);
    expect(boxesAt(dets, 5000 + HOLD_MS / 2).map((d) => d.type)).toEqual(['animal']);
  });

  it('leaves out detections without a box or without an area', () => {
    expect(boxesAt(dets, 2500).map((d) => d.type)).toEqual(['person']);
  });

  it('shows every box of a snapshot whatever the time', () => {
    expect(boxesAt(dets, 0, true).map((d) => d.type)).toEqual(['person', 'animal']);
    expect(boxesAt(undefined, 0, true)).toEqual([]);
  });
});

describe('scoreLabel', () => {
  it('writes the score as a percentage in the interface language', () => {
    // French puts a (narrow) no-break space before %.
    expect(scoreLabel('Personne', 0.834, 'fr').replace(/\s/gu, ' ')).toBe('Personne 83 %');
    expect(scoreLabel('Person', 0.834, 'en')).toBe('Person 83%');
    expect(scoreLabel('Mouvement', 0, 'fr')).toBe('Mouvement');
  });
});

describe('boxesKey', () => {
  it('changes when the set on screen changes, not otherwise', () => {
    expect(boxesKey([det(1, 2)])).toBe(boxesKey([det(1, 9)]));
    expect(boxesKey([det(1, 2)])).not.toBe(boxesKey([det(1, 2), det(3, 4)]));
    expect(boxesKey([])).toBe('');
  });
});
