// The AI rules the web app shows before the API enforces them (client guide
// §3.1.2–§3.1.4): AI on within the AI subscription's camera limit, HOLO4
// only with AI on, algorithms of the subscription's packages.
import type { AiCatalogue, AiPackage, AiSubscription, Camera, Names } from './api';

/** The active subscription of a list (null: none). */
export function activeSubscription(subs: readonly AiSubscription[]): AiSubscription | null {
  return subs.find((s) => s.status === 'active') ?? null;
}

/** Why AI can't be turned on for a camera; null when it can. */
export type AiBlock = 'noSubscription' | 'limit' | null;

/**
 * Whether the AI switch of a camera may go on. sub: the active subscription,
 * null when there is none, undefined when it can't be read (the API decides).
 * savedOn: AI is already on for this camera (it counts in cameras_used, and
 * can always be turned off and on again).
 */
export function aiBlock(sub: AiSubscription | null | undefined, savedOn: boolean): AiBlock {
  if (savedOn || sub === undefined) return null;
  if (sub === null) return 'noSubscription';
  return sub.cameras_used >= sub.camera_limit ? 'limit' : null;
}

/** The packages a camera may choose from: the subscription's (all of them when it can't be read). */
export function allowedPackages(cat: AiCatalogue | undefined, sub: AiSubscription | null | undefined): AiPackage[] {
  if (!cat) return [];
  if (sub === undefined) return cat.packages;
  return cat.packages.filter((p) => sub?.packages.includes(p.id));
}

/** A name in the interface language. */
export function nameIn(names: Names, lang: string): string {
  return lang.startsWith('fr') ? names.fr : names.en;
}

/** How many of a package's algorithms are selected ("1/2"). */
export function packageCount(pkg: AiPackage, selected: readonly string[]): { selected: number; total: number } {
  return { selected: pkg.algorithms.filter((a) => selected.includes(a.id)).length, total: pkg.algorithms.length };
}

/** Every algorithm id of packages, in catalogue order. */
export function algorithmIds(packages: readonly AiPackage[]): string[] {
  return packages.flatMap((p) => p.algorithms.map((a) => a.id));
}

/** selected with id added or removed, in the order of order (ids it doesn't know kept last). */
export function toggleId(selected: readonly string[], id: string, order: readonly string[]): string[] {
  const next = selected.includes(id) ? selected.filter((x) => x !== id) : [...selected, id];
  return sortBy(next, order);
}

/** A package's box: every algorithm of it selected unless all are, then none. */
export function togglePackage(selected: readonly string[], pkg: AiPackage, order: readonly string[]): string[] {
  const ids = pkg.algorithms.map((a) => a.id);
  const all = ids.every((id) => selected.includes(id));
  const next = all ? selected.filter((x) => !ids.includes(x)) : [...selected, ...ids.filter((id) => !selected.includes(id))];
  return sortBy(next, order);
}

function sortBy(ids: string[], order: readonly string[]): string[] {
  const rank = (id: string) => {
    const i = order.indexOf(id);
    return i < 0 ? order.length : i;
  };
  return [...new Set(ids)].sort((a, b) => rank(a) - rank(b));
}

/** Cameras in the HOLO4 beta (AI on and joined): the detection filter lists HOLO4 packages only then. */
export function holo4Joined(cameras: readonly Pick<Camera, 'holo4' | 'ai_enabled'>[]): boolean {
  return cameras.some((c) => c.holo4 && c.ai_enabled);
}

/** What a camera form sends for AI: only what changed from the saved camera. */
export function aiPatch(
  saved: Pick<Camera, 'ai_enabled' | 'holo4' | 'algorithms'>,
  next: { ai: boolean; holo4: boolean; algorithms: string[] },
): { ai_enabled: boolean; holo4?: boolean; algorithms?: string[] } {
  const out: { ai_enabled: boolean; holo4?: boolean; algorithms?: string[] } = { ai_enabled: next.ai };
  const holo4 = next.ai && next.holo4;
  if (holo4 !== (saved.holo4 ?? false)) out.holo4 = holo4;
  const before = saved.algorithms ?? [];
  if (before.length !== next.algorithms.length || before.some((a, i) => a !== next.algorithms[i])) out.algorithms = next.algorithms;
  return out;
}
