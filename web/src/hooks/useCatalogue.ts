import { api, type AiCatalogue } from '../api';
import { useQuery } from './useQuery';

// The HOLO4 catalogue is the same for every page of a session: read once,
// shared (a failed read is forgotten so that the next page tries again).
let cached: Promise<AiCatalogue> | null = null;

export function catalogueOnce(): Promise<AiCatalogue> {
  cached ??= api.aiPackages().catch((e: unknown) => {
    cached = null;
    throw e;
  });
  return cached;
}

/** Forgets the catalogue read (tests start each with a fresh backend). */
export function forgetCatalogue() {
  cached = null;
}

/** The HOLO4 catalogue (GET /ai/packages), undefined until read or when disabled. */
export function useCatalogue(enabled = true): AiCatalogue | undefined {
  return useQuery(catalogueOnce, [], enabled).data;
}
