// Geometry of the detection boxes drawn over the player: where the picture
// lies inside its element (object-fit: contain letterboxes it), which
// detections are on screen at a time, where each box goes in pixels, and
// where their labels go so that none hides another.
import type { Detection } from '../../api';
import { locale } from '../../format';

/** A rectangle in CSS pixels. */
export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * The part of an element of size ew×eh where a picture of mw×mh is drawn
 * with object-fit: contain (centred, bars above and below or on the sides).
 * Null while either size is unknown (metadata not loaded, element hidden).
 */
export function containRect(mw: number, mh: number, ew: number, eh: number): Rect | null {
  if (!(mw > 0 && mh > 0 && ew > 0 && eh > 0)) return null;
  const scale = Math.min(ew / mw, eh / mh);
  const width = mw * scale;
  const height = mh * scale;
  return { left: (ew - width) / 2, top: (eh - height) / 2, width, height };
}

/**
 * How long (ms) a box stays after the last frame it was seen on: the
 * analysis samples a few frames a second, so an object seen on one sampled
 * frame only (start = end) is on screen for a moment, not for one instant.
 */
export const HOLD_MS = 500;

/** Whether a detection has a box worth drawing: four fractions, with an area. */
export function hasBox(d: Pick<Detection, 'box'>): boolean {
  const b = d.box;
  return Array.isArray(b) && b.length === 4 && b.every((v) => Number.isFinite(v)) && b[2] > 0 && b[3] > 0;
}

/**
 * The detections whose box is on screen at tMs (ms from the clip's start):
 * those with start ≤ t ≤ end + HOLD_MS. A snapshot (still: true) shows
 * every box, its detections have no duration.
 */
export function boxesAt<D extends Pick<Detection, 'box' | 'start_offset_ms' | 'end_offset_ms'>>(dets: readonly D[] | undefined, tMs: number, still = false): D[] {
  return (dets ?? []).filter((d) => {
    if (!hasBox(d)) return false;
    if (still) return true;
    const end = Math.max(d.end_offset_ms, d.start_offset_ms);
    return tMs >= d.start_offset_ms && tMs <= end + HOLD_MS;
  });
}

/**
 * A box [x, y, w, h] (fractions of the frame) in pixels of the element
 * whose picture lies in pic (see containRect); clipped to the picture.
 */
export function placeBox(box: readonly number[], pic: Rect): Rect {
  const clip = (v: number) => Math.min(1, Math.max(0, v));
  const x0 = clip(box[0]);
  const y0 = clip(box[1]);
  const x1 = clip(box[0] + box[2]);
  const y1 = clip(box[1] + box[3]);
  return {
    left: pic.left + x0 * pic.width,
    top: pic.top + y0 * pic.height,
    width: (x1 - x0) * pic.width,
    height: (y1 - y0) * pic.height,
  };
}

/** "83 %", "83%": a score as a percentage in the interface language; empty without a score. */
export function scorePercent(score: number, lang: string): string {
  if (!(score > 0)) return '';
  return new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 0 }).format(Math.min(1, score));
}

/** "Personne 83 %", "Person 83%": a box's label in the interface language. */
export function scoreLabel(name: string, score: number, lang: string): string {
  const pct = scorePercent(score, lang);
  return pct ? `${name} ${pct}` : name;
}

/**
 * A rough width in pixels of text in a bold sans-serif of fontPx, for when
 * nothing can measure it (no canvas): narrow letters, wide capitals, the rest.
 */
export function estimateTextWidth(text: string, fontPx: number): number {
  let em = 0;
  for (const c of text) {
    if (/[\s.,:;'’!|()\u202f\u00a0]/u.test(c)) em += 0.34;
    else if (/[iljtfIr]/u.test(c)) em += 0.42;
    else if (/[A-Z%mwMW]/u.test(c)) em += 0.86;
    else em += 0.68;
  }
  return em * fontPx;
}

/**
 * A label to place: the box it names, its size in pixels, and its box's
 * score (the best goes first). shortWidth: the width it may be cut to (a
 * long name, with an ellipsis) when it finds no room at its full width.
 */
export interface LabelRequest {
  box: Rect;
  width: number;
  height: number;
  score: number;
  shortWidth?: number;
}

/** Whether two rectangles share more than an edge, with gap pixels kept between them. */
export function overlaps(a: Rect, b: Rect, gap = 0): boolean {
  return a.left < b.left + b.width + gap && b.left < a.left + a.width + gap && a.top < b.top + b.height + gap && b.top < a.top + a.height + gap;
}

/** Whether r lies inside pic (to a hundredth of a pixel: the maths is floating point). */
export function inside(r: Rect, pic: Rect): boolean {
  const e = 0.01;
  return r.left >= pic.left - e && r.top >= pic.top - e && r.left + r.width <= pic.left + pic.width + e && r.top + r.height <= pic.top + pic.height + e;
}

/**
 * The spots a label of w×h may take around its box, best first: above the
 * box's top edge, inside its top, below its bottom, inside its bottom; each
 * aligned on the box's left edge, then on its right edge (the other way
 * round right of the picture's centre, where labels grow leftwards).
 */
export function labelSpots(box: Rect, w: number, h: number, pic: Rect): Rect[] {
  const bottom = box.top + box.height;
  const tops = [box.top - h, box.top, bottom, bottom - h];
  const atLeft = box.left;
  const atRight = box.left + box.width - w;
  const lefts = box.left + box.width / 2 > pic.left + pic.width / 2 ? [atRight, atLeft] : [atLeft, atRight];
  return tops.flatMap((top) => lefts.map((left) => ({ left, top, width: w, height: h })));
}

/** r moved (not resized) into pic, as far as it fits. */
function clampInto(r: Rect, pic: Rect): Rect {
  const left = Math.max(pic.left, Math.min(r.left, pic.left + pic.width - r.width));
  const top = Math.max(pic.top, Math.min(r.top, pic.top + pic.height - r.height));
  return { ...r, left, top };
}

/**
 * The free spot nearest to anchor when none of a label's own spots is free:
 * next to the labels placed already (under them first) or against the
 * picture's edges. Null when the picture has no room left.
 */
function nearestFree(anchor: Rect, placed: readonly Rect[], pic: Rect, gap: number): Rect | null {
  const { width: w, height: h } = anchor;
  const lefts = [anchor.left, pic.left, pic.left + pic.width - w, ...placed.flatMap((p) => [p.left, p.left + p.width - w, p.left + p.width + gap, p.left - gap - w])];
  const tops = [anchor.top, pic.top, pic.top + pic.height - h, ...placed.flatMap((p) => [p.top + p.height + gap, p.top - gap - h])];
  let best: Rect | null = null;
  let bestD = Infinity;
  for (const top of tops) {
    for (const left of lefts) {
      const r = { left, top, width: w, height: h };
      if (!inside(r, pic) || placed.some((p) => overlaps(r, p, gap))) continue;
      // Under the anchor rather than above it at the same distance: labels stack downwards.
      const d = Math.hypot(left - anchor.left, top - anchor.top) + (top < anchor.top ? 0.5 : 0);
      if (d < bestD) [best, bestD] = [r, d];
    }
  }
  return best;
}

/**
 * Where each box's label goes (same order as items, in the coordinates of
 * pic) so that no two labels overlap (gap pixels apart) and all stay on
 * the picture: per box, best score first, the first of its spots (see
 * labelSpots) that is free and inside, at its full width, then cut to its
 * short width; without one, the free spot nearest to its first spot (full
 * width first again); without any room left, that first spot moved
 * inside. A label wider or taller than the picture is cut to it.
 */
export function placeLabels(items: readonly LabelRequest[], pic: Rect, gap = 2): Rect[] {
  const score = (i: number) => (Number.isFinite(items[i].score) ? items[i].score : 0);
  const order = items.map((_, i) => i).sort((a, b) => score(b) - score(a) || a - b);
  const placed: Rect[] = [];
  const out: Rect[] = new Array(items.length);
  const free = (r: Rect) => inside(r, pic) && !placed.some((p) => overlaps(r, p, gap));
  for (const i of order) {
    const { box, width, height, shortWidth = width } = items[i];
    const h = Math.min(height, pic.height);
    const widths = [...new Set([width, Math.min(width, shortWidth)].map((w) => Math.min(w, pic.width)))];
    let r: Rect | undefined;
    for (const w of widths) {
      r = labelSpots(box, w, h, pic).find(free);
      if (r) break;
    }
    for (const w of r ? [] : widths) {
      r = nearestFree(clampInto(labelSpots(box, w, h, pic)[0], pic), placed, pic, gap) ?? undefined;
      if (r) break;
    }
    r ??= clampInto(labelSpots(box, widths[widths.length - 1], h, pic)[0], pic);
    placed.push(r);
    out[i] = r;
  }
  return out;
}

/** A stable key for a set of detections, so that a re-render happens only when it changes. */
export function boxesKey(dets: readonly Pick<Detection, 'type' | 'start_offset_ms' | 'box'>[]): string {
  return dets.map((d) => `${d.type}@${d.start_offset_ms}:${d.box.join(',')}`).join('|');
}
