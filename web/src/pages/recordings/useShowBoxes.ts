import { useCallback, useState } from 'react';

/** Where the player remembers whether to draw detection boxes. */
export const SHOW_BOXES_KEY = 'c2d_player_boxes';

function read(): boolean {
  try {
    return typeof localStorage !== 'undefined' && localStorage.getItem(SHOW_BOXES_KEY) === '1';
  } catch {
    return false;
  }
}

/** Whether the player draws detection boxes: off by default, remembered in this browser. */
export function useShowBoxes(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(read);
  const set = useCallback((next: boolean) => {
    setOn(next);
    try {
      localStorage.setItem(SHOW_BOXES_KEY, next ? '1' : '0');
    } catch {
      /* storage unavailable (private mode): the choice lasts for this page only */
    }
  }, []);
  return [on, set];
}
