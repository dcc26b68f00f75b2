/** A duration in milliseconds as "m:ss" (or "h:mm:ss"). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A player position in seconds as "m:ss". */
export function formatClock(seconds: number): string {
  return formatDuration(Number.isFinite(seconds) ? seconds * 1000 : 0);
}

/** The frame (0 … frames-1) of a strip under a pointer at x of a box of width w. */
export function stripFrame(x: number, width: number, frames = 10): number {
  if (!(width > 0)) return 0;
  return Math.min(frames - 1, Math.max(0, Math.floor((x / width) * frames)));
}

/** The CSS background-position of a frame in a strip of frames side by side. */
export function stripPosition(frame: number, frames = 10): string {
  return `${frames > 1 ? (frame * 100) / (frames - 1) : 0}% 0%`;
}
