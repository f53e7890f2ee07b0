/**
 * A short-lived cache of model listings, per profile id and base URL (a profile pointed elsewhere
 * is asked again), so opening the model picker does not hit the server each time. Failures are
 * not cached; concurrent asks for the same listing share one request.
 */
import type { Clock } from '../ports';
import { systemClock } from '../ports';
import type { DiscoveredModel } from './discovery-shapes';

/** A listing and when it was fetched (ms since epoch). */
export interface CachedListing {
  models: DiscoveredModel[];
  fetchedAt: number;
}

export interface DiscoveryCacheOptions {
  /** How long a listing is served from the cache. Default 10 minutes. */
  ttlMs?: number;
  clock?: Clock;
}

export const DEFAULT_DISCOVERY_TTL_MS = 10 * 60_000;

export class ModelDiscoveryCache {
  private readonly entries = new Map<string, CachedListing>();
  private readonly inFlight = new Map<string, Promise<CachedListing>>();
  private readonly ttlMs: number;
  private readonly clock: Clock;

  constructor(options: DiscoveryCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_DISCOVERY_TTL_MS;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * The cached listing of (`profileId`, `baseUrl`) while fresh, else `load()`'s (stored on
   * success). `refresh`: load even when fresh. A failing load throws and leaves the old entry.
   */
  async get(profileId: string, baseUrl: string | undefined, load: () => Promise<DiscoveredModel[]>, refresh = false): Promise<CachedListing> {
    const key = `${profileId}\u0000${baseUrl ?? ''}`;
    const hit = this.entries.get(key);
    if (!refresh && hit && this.clock.now() - hit.fetchedAt < this.ttlMs) return hit;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const p = (async () => {
      const models = await load();
      const entry = { models, fetchedAt: this.clock.now() };
      this.entries.set(key, entry);
      return entry;
    })();
    this.inFlight.set(key, p);
    try {
      return await p;
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** The cached listing without asking (fresh or not), e.g. for a capability check. */
  peek(profileId: string, baseUrl: string | undefined): CachedListing | undefined {
    return this.entries.get(`${profileId}\u0000${baseUrl ?? ''}`);
  }

  /** Forgets one profile's listings (its settings or key changed), or all. */
  clear(profileId?: string): void {
    if (profileId === undefined) { this.entries.clear(); return; }
    for (const key of [...this.entries.keys()]) if (key.startsWith(`${profileId}\u0000`)) this.entries.delete(key);
  }
}
