// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { boxesAt, boxesKey, containRect, estimateTextWidth, HOLD_MS, inside, overlaps, placeBox, placeLabels, scoreLabel, scorePercent, type Rect } from './boxes';

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
    expect(scorePercent(0, 'en')).toBe('');
  });
});

describe('boxesKey', () => {
  it('changes when the set on screen changes, not otherwise', () => {
    expect(boxesKey([det(1, 2)])).toBe(boxesKey([det(1, 9)]));
    expect(boxesKey([det(1, 2)])).not.toBe(boxesKey([det(1, 2), det(3, 4)]));
    expect(boxesKey([])).toBe('');
  });
});

describe('placeLabels', () => {
  // A 4:3 picture drawn 600×450 between 100 px bars.
  const pic = { left: 100, top: 0, width: 600, height: 450 };
  const req = (box: Rect, width: number, score: number) => ({ box, width, height: 20, score });
  const disjoint = (rs: Rect[]) => rs.every((a, i) => rs.every((b, j) => i === j || !overlaps(a, b)));

  it('puts a lone label above its box, on its left edge', () => {
    expect(placeLabels([req({ left: 200, top: 100, width: 100, height: 80 }, 90, 0.8)], pic)).toEqual([{ left: 200, top: 80, width: 90, height: 20 }]);
  });

  it('gives three close boxes three disjoint labels on the picture, the best score its first choice', () => {
    // The HOLO4 case: a truck, the same pick-up as a yellow taxi (a long name), a bicycle under them.
    const truck = { left: 450, top: 40, width: 120, height: 60 };
    const taxi = { left: 452, top: 42, width: 116, height: 58 };
    const bike = { left: 300, top: 70, width: 260, height: 200 };
    const out = placeLabels([req(truck, 110, 0.36), req(taxi, 300, 0.28), req(bike, 110, 0.31)], pic);
    expect(disjoint(out)).toBe(true);
    expect(out.every((r) => inside(r, pic))).toBe(true);
    // The truck (best score) is above its box, right-aligned (right of centre: it grows leftwards).
    expect(out[0]).toEqual({ left: 460, top: 20, width: 110, height: 20 });
    // Each label still touches or lies in its own box's column.
    [truck, taxi, bike].forEach((b, i) => expect(out[i].left < b.left + b.width && out[i].left + out[i].width > b.left).toBe(true));
  });

  it('keeps labels of identical boxes apart, stacking the last under the others', () => {
    const b = { left: 300, top: 200, width: 100, height: 60 };
    const out = placeLabels([0.9, 0.8, 0.7, 0.6, 0.5, 0.4].map((s) => req(b, 120, s)), pic);
    expect(disjoint(out)).toBe(true);
    expect(out.every((r) => inside(r, pic))).toBe(true);
    // Above; inside the top would touch that label (2 px apart at least), so below; inside the
    // bottom would touch that one: the next are stacked under the first and above it, near the box.
    expect(out.slice(0, 4).map((r) => r.top)).toEqual([180, 260, 202, 158]);
    expect(out.every((r) => r.top >= 100 && r.top <= 300)).toBe(true);
  });

  it('keeps 2 px between labels', () => {
    const out = placeLabels([req({ left: 200, top: 100, width: 100, height: 80 }, 90, 0.9), req({ left: 200, top: 100, width: 100, height: 80 }, 90, 0.8)], pic);
    expect(overlaps(out[0], out[1], 2)).toBe(false);
  });

  it('puts the label of a box at the top edge inside it, or under it when the inside is taken', () => {
    const top = { left: 200, top: 0, width: 100, height: 100 };
    const out = placeLabels([req(top, 90, 0.9), req(top, 90, 0.8)], pic);
    expect(out[0]).toEqual({ left: 200, top: 0, width: 90, height: 20 });
    expect(out[1]).toEqual({ left: 200, top: 100, width: 90, height: 20 });
  });

  it('grows the label of a box at the right edge leftwards, on the picture', () => {
    const right = { left: 650, top: 200, width: 50, height: 50 };
    const [r] = placeLabels([req(right, 200, 0.9)], pic);
    expect(r).toEqual({ left: 500, top: 180, width: 200, height: 20 });
  });

  it('moves a label wider than its box and next to the bars onto the picture', () => {
    // A narrow box on the picture's left edge whose label is wider than the box: left-aligned fits.
    const [l] = placeLabels([req({ left: 100, top: 300, width: 30, height: 40 }, 150, 0.5)], pic);
    expect(l).toEqual({ left: 100, top: 280, width: 150, height: 20 });
    // A box in a corner, label wider than it, nothing else on screen: inside its bottom, right-aligned... or any spot inside.
    const [c] = placeLabels([req({ left: 640, top: 0, width: 60, height: 450 }, 300, 0.5)], pic);
    expect(inside(c, pic)).toBe(true);
  });

  it('keeps a long name whole where it has room, and cuts it to its short width where not', () => {
    const left = { left: 150, top: 100, width: 100, height: 80 };
    expect(placeLabels([{ ...req(left, 500, 0.5), shortWidth: 200 }], pic)).toEqual([{ left: 150, top: 80, width: 500, height: 20 }]);
    // Right of centre, 500 px fit on neither side of the box; 200 px do, under the box (the
    // detector's label of the same box, a better score, is above it).
    const right = { left: 400, top: 100, width: 100, height: 80 };
    const out = placeLabels([req(right, 100, 0.9), { ...req(right, 500, 0.5), shortWidth: 200 }], pic);
    expect(out).toEqual([
      { left: 400, top: 80, width: 100, height: 20 },
      { left: 300, top: 180, width: 200, height: 20 },
    ]);
  });

  it('prefers a long name whole at the nearest free spot to cut in none of its own spots', () => {
    // The HOLO4 screenshot's case: a truck's label above the pick-up, a bicycle's wide label under
    // it; the yellow taxi's (the same pick-up) finds none of its spots free even when cut.
    const pickup = { left: 400, top: 40, width: 100, height: 60 };
    const out = placeLabels(
      [req(pickup, 100, 0.9), req({ left: 100, top: 120, width: 380, height: 200 }, 300, 0.8), { ...req(pickup, 400, 0.5), shortWidth: 150 }],
      pic,
    );
    expect(out[0]).toEqual({ left: 400, top: 20, width: 100, height: 20 });
    expect(out[1]).toEqual({ left: 100, top: 100, width: 300, height: 20 });
    // Stacked under the truck's label, 2 px apart, above the bicycle's, whole.
    expect(out[2]).toEqual({ left: 100, top: 42, width: 400, height: 20 });
    expect(disjoint(out)).toBe(true);
  });

  it('cuts a label wider than the picture to its width', () => {
    const [r] = placeLabels([req({ left: 100, top: 100, width: 600, height: 100 }, 900, 0.5)], pic);
    expect(r).toEqual({ left: 100, top: 80, width: 600, height: 20 });
  });

  it('takes the free spot nearest to the first when all of a box\'s spots are taken', () => {
    const b = { left: 120, top: 120, width: 40, height: 40 };
    // Labels as wide as the picture, above boxes of a better score, fill the rows from 100 to 180
    // px: above, inside and under the small box.
    const rows = [120, 140, 160, 180].map((top) => req({ left: 100, top, width: 600, height: 1 }, 600, 1));
    const out = placeLabels([...rows, req(b, 60, 0.1)], pic, 0);
    expect(out.slice(0, 4).map((r) => r.top)).toEqual([100, 120, 140, 160]);
    // Just above the rows, where its first spot (above the box, 100 px) is nearest.
    expect(out[4]).toEqual({ left: 120, top: 80, width: 60, height: 20 });
    expect(disjoint(out)).toBe(true);
  });

  it('overlaps only when the picture has no room left', () => {
    const full = Array.from({ length: 23 }, (_, i) => req({ left: 100, top: 20 * i + 20, width: 600, height: 1 }, 600, 1));
    const out = placeLabels([...full, req({ left: 300, top: 300, width: 50, height: 50 }, 60, 0.1)], pic, 0);
    expect(out.slice(0, 22).every((r) => inside(r, pic))).toBe(true);
    expect(inside(out[23], pic)).toBe(true);
  });
});

describe('estimateTextWidth', () => {
  it('grows with the text and the font size', () => {
    const short = estimateTextWidth('Véhicule 31 %', 12);
    const long = estimateTextWidth("Détection de la présence d'un taxi jaune 28 %", 12);
    expect(short).toBeGreaterThan(60);
    expect(short).toBeLessThan(110);
    expect(long).toBeGreaterThan(2.5 * short);
    expect(estimateTextWidth('Véhicule', 24)).toBeCloseTo(2 * estimateTextWidth('Véhicule', 12));
  });
});
