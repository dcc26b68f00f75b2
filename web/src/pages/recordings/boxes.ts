// Geometry of the detection boxes drawn over the player: where the picture
// lies inside its element (object-fit: contain letterboxes it), which
// detections are on screen at a time, and where each box goes in pixels.
import type { Detection } from '../../api';

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

/** "Personne 83 %", "Person 83%": a box's label in the interface language. */
export function scoreLabel(name: string, score: number, lang: string): string {
  if (!(score > 0)) return name;
  const pct = new Intl.NumberFormat(lang.startsWith('fr') ? 'fr-FR' : 'en-GB', { style: 'percent', maximumFractionDigits: 0 }).format(Math.min(1, score));
  return `${name} ${pct}`;
}

/** A stable key for a set of detections, so that a re-render happens only when it changes. */
export function boxesKey(dets: readonly Pick<Detection, 'type' | 'start_offset_ms' | 'box'>[]): string {
  return dets.map((d) => `${d.type}@${d.start_offset_ms}:${d.box.join(',')}`).join('|');
}
