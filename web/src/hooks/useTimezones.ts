import { useEffect, useState } from 'react';
import { api } from '../api';

let cache: Promise<string[]> | null = null;

/** GET /timezones once per page load. */
export function useTimezones(enabled = true): string[] {
  const [zones, setZones] = useState<string[]>([]);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    if (!cache) {
      cache = api.timezones().then(
        (r) => r?.items ?? [],
        (e: unknown) => {
          cache = null;
          throw e;
        },
      );
    }
    cache.then(
      (z) => live && setZones(z),
      () => live && setZones(['UTC']),
    );
    return () => {
      live = false;
    };
  }, [enabled]);
  return zones;
}

/** For tests. */
export function resetTimezoneCache(): void {
  cache = null;
}
