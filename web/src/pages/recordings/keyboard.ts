// Keyboard shortcuts of the player: space and K play/pause, J and L ten
// seconds back and forward, the arrows five seconds, "," and "." one frame
// (paused), "<" and ">" the speed, P and N the previous and next event.

export type PlayerAction =
  | { kind: 'toggle' }
  | { kind: 'seek'; seconds: number }
  | { kind: 'frame'; step: 1 | -1 }
  | { kind: 'speed'; step: 1 | -1 }
  | { kind: 'event'; step: 1 | -1 };

/** The playback speeds offered (the ⋮ menu and "<", ">"). */
export const SPEEDS = [0.25, 0.5, 1, 1.5, 2, 4, 8, 16] as const;

/** One frame at the 25 fps most recorders use. */
export const FRAME_SECONDS = 1 / 25;

interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

/** Whether a key press belongs to something else: a text field, a list box, a menu or a dialog. */
export function ownedElsewhere(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  return !!el.closest('input, textarea, select, [role="menu"], [role="listbox"], [role="dialog"], [role="slider"], [role="option"]');
}

/** The action of a key press, or null when the player leaves it alone. */
export function keyAction(e: KeyLike): PlayerAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case ' ':
    case 'k':
    case 'K':
      return { kind: 'toggle' };
    case 'j':
    case 'J':
      return { kind: 'seek', seconds: -10 };
    case 'l':
    case 'L':
      return { kind: 'seek', seconds: 10 };
    case 'ArrowLeft':
      return { kind: 'seek', seconds: -5 };
    case 'ArrowRight':
      return { kind: 'seek', seconds: 5 };
    case ',':
      return { kind: 'frame', step: -1 };
    case '.':
      return { kind: 'frame', step: 1 };
    case '<':
      return { kind: 'speed', step: -1 };
    case '>':
      return { kind: 'speed', step: 1 };
    case 'p':
    case 'P':
      return { kind: 'event', step: -1 };
    case 'n':
    case 'N':
      return { kind: 'event', step: 1 };
    default:
      return null;
  }
}

/** The next speed of SPEEDS above (step 1) or below (step -1) the current one, stopping at the ends. */
export function stepSpeed(current: number, step: 1 | -1): number {
  if (step > 0) return SPEEDS.find((s) => s > current) ?? SPEEDS[SPEEDS.length - 1];
  return [...SPEEDS].reverse().find((s) => s < current) ?? SPEEDS[0];
}

/** A new time after seeking, kept within the clip. */
export function clampTime(t: number, duration: number): number {
  const end = Number.isFinite(duration) && duration > 0 ? duration : Infinity;
  return Math.min(end, Math.max(0, t));
}
