// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { AiSubscription } from './api';
import { CATALOGUE } from './test/fixtures';
import { activeSubscription, aiBlock, aiPatch, algorithmIds, allowedPackages, holo4Joined, packageCount, toggleId, togglePackage } from './ai';

const sub = (over: Partial<AiSubscription> = {}): AiSubscription => ({
  id: 's1',
  org_id: 'o1',
  status: 'active',
  camera_limit: 2,
  cameras_used: 1,
  packages: ['urban'],
  created_at: '2026-01-01T00:00:00Z',
  ...over,
});

describe('AI rules', () => {
  it('blocks AI without a subscription or at its limit, never for a camera already on', () => {
    expect(aiBlock(null, false)).toBe('noSubscription');
    expect(aiBlock(sub(), false)).toBeNull();
    expect(aiBlock(sub({ cameras_used: 2 }), false)).toBe('limit');
    expect(aiBlock(sub({ cameras_used: 2 }), true)).toBeNull();
    expect(aiBlock(null, true)).toBeNull();
    // Unknown (no permission to read subscriptions): the API decides.
    expect(aiBlock(undefined, false)).toBeNull();
  });

  it('finds the active subscription among cancelled ones', () => {
    expect(activeSubscription([sub({ id: 'old', status: 'cancelled' }), sub({ id: 'now' })])?.id).toBe('now');
    expect(activeSubscription([sub({ status: 'cancelled' })])).toBeNull();
  });

  it("offers the subscription's packages only", () => {
    expect(allowedPackages(CATALOGUE, sub()).map((p) => p.id)).toEqual(['urban']);
    expect(allowedPackages(CATALOGUE, undefined).map((p) => p.id)).toEqual(['construction_site', 'fun_at_work', 'urban']);
    expect(allowedPackages(CATALOGUE, null)).toEqual([]);
    expect(allowedPackages(undefined, sub())).toEqual([]);
  });

  it('counts, toggles and orders algorithms like the guide\'s "1/2"', () => {
    const order = algorithmIds(CATALOGUE.packages);
    expect(order).toEqual(['no_helmet', 'no_vest', 'coffee', 'friendly_mood', 'headphones', 'no_helmet_two_wheeler', 'yellow_taxi']);
    expect(packageCount(CATALOGUE.packages[0], ['no_vest', 'yellow_taxi'])).toEqual({ selected: 1, total: 2 });
    expect(toggleId(['yellow_taxi'], 'no_helmet', order)).toEqual(['no_helmet', 'yellow_taxi']);
    expect(toggleId(['no_helmet', 'yellow_taxi'], 'no_helmet', order)).toEqual(['yellow_taxi']);
    // A partly selected package is completed, a full one emptied.
    expect(togglePackage(['no_vest'], CATALOGUE.packages[0], order)).toEqual(['no_helmet', 'no_vest']);
    expect(togglePackage(['no_helmet', 'no_vest', 'yellow_taxi'], CATALOGUE.packages[0], order)).toEqual(['yellow_taxi']);
  });

  it('lists HOLO4 packages in the filter only once a camera with AI joined', () => {
    expect(holo4Joined([{ holo4: false, ai_enabled: true }])).toBe(false);
    expect(holo4Joined([{ holo4: true, ai_enabled: false }])).toBe(false);
    expect(holo4Joined([{ holo4: false, ai_enabled: false }, { holo4: true, ai_enabled: true }])).toBe(true);
  });

  it('sends HOLO4 fields only when they change, and leaves the beta with AI', () => {
    const saved = { ai_enabled: true, holo4: true, algorithms: ['no_helmet'] };
    expect(aiPatch(saved, { ai: true, holo4: true, algorithms: ['no_helmet'] })).toEqual({ ai_enabled: true });
    expect(aiPatch(saved, { ai: true, holo4: true, algorithms: ['no_helmet', 'no_vest'] })).toEqual({ ai_enabled: true, algorithms: ['no_helmet', 'no_vest'] });
    expect(aiPatch(saved, { ai: false, holo4: true, algorithms: ['no_helmet'] })).toEqual({ ai_enabled: false, holo4: false });
    expect(aiPatch({ ai_enabled: false, holo4: false, algorithms: [] }, { ai: true, holo4: true, algorithms: ['yellow_taxi'] })).toEqual({
      ai_enabled: true,
      holo4: true,
      algorithms: ['yellow_taxi'],
    });
  });
});
