import { useCallback, useEffect, useRef, useState } from 'react';
import { backoff } from './expiry';

/** The least time between two refreshes, whatever asks (no storm when something keeps failing). */
const MIN_GAP_MS = 1000;
/** The longest timer set at once (browsers fire longer ones at once): a later time is reached in steps. */
const MAX_TIMER_MS = 24 * 3_600_000;

/**
 * Runs `run` (a read of fresh media URLs) at `at` (this browser's clock, ms;
 * Infinity: never), one at a time; after a failure again after a growing delay
 * (2 s, 4 s… 5 min). The returned `now()` asks for one at once (a picture or
 * video failed), within those rules; it returns whether one is running or
 * coming. When the tab shows again, a refresh that is due runs at once (the
 * timers of hidden tabs and sleeping computers run late).
 */
export function useRefresh(at: number, run: () => Promise<void>): () => boolean {
  const runRef = useRef(run);
  runRef.current = run;
  const running = useRef(false);
  const failures = useRef(0);
  const notBefore = useRef(0);
  const [runs, setRuns] = useState(0);

  const now = useCallback((): boolean => {
    if (running.current) return true;
    const wait = notBefore.current - Date.now();
    if (wait > 0) {
      // Too soon after the last one (or backing off): the timer brings it.
      setRuns((n) => n + 1);
      return true;
    }
    running.current = true;
    runRef
      .current()
      .then(
        () => {
          failures.current = 0;
          notBefore.current = Date.now() + MIN_GAP_MS;
        },
        () => {
          failures.current += 1;
          notBefore.current = Date.now() + Math.max(MIN_GAP_MS, backoff(failures.current));
        },
      )
      .finally(() => {
        running.current = false;
        setRuns((n) => n + 1);
      });
    return true;
  }, []);

  const when = Math.max(at, notBefore.current);
  const due = useRef(when);
  due.current = when;
  useEffect(() => {
    if (!Number.isFinite(when)) return;
    const timer = setTimeout(
      () => {
        if (Date.now() < when) setRuns((n) => n + 1);
        else if (!running.current) now();
      },
      Math.min(MAX_TIMER_MS, Math.max(0, when - Date.now())),
    );
    return () => clearTimeout(timer);
  }, [when, runs, now]);

  useEffect(() => {
    const onShow = () => {
      if (document.visibilityState === 'visible' && Date.now() >= due.current) now();
    };
    document.addEventListener('visibilitychange', onShow);
    return () => document.removeEventListener('visibilitychange', onShow);
  }, [now]);

  return now;
}
