import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreFs } from '../../../src/core/store/fs-seam';
import { nodeStoreFs } from '../../../src/core/store/fs-seam';
import { JsonlSessionStore, type JsonlSessionStoreOptions } from '../../../src/core/store/jsonl-store';
import type { StoreWarning } from '../../../src/core/store/types';
import type { StoreHarness } from './conformance';

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'agent-store-'));
}

export function openStore(directory: string, options: Partial<JsonlSessionStoreOptions> = {}): { store: JsonlSessionStore; warnings: StoreWarning[] } {
  const store = new JsonlSessionStore({ directory, ...options });
  const warnings: StoreWarning[] = [];
  store.onWarning((w) => warnings.push(w));
  return { store, warnings };
}

export async function jsonlHarness(): Promise<StoreHarness> {
  const dir = await tempDir();
  const h: StoreHarness = {
    store: new JsonlSessionStore({ directory: dir }),
    async reopen() {
      await h.store.close();
      h.store = new JsonlSessionStore({ directory: dir });
      return h.store;
    },
    async cleanup() {
      await h.store.close();
      await rm(dir, { recursive: true, force: true });
    },
    async writeRawCheckpoint(sessionId, text) {
      await mkdir(join(dir, 'sessions'), { recursive: true });
      await writeFile(join(dir, 'sessions', `${sessionId}.checkpoint.json`), text);
    },
  };
  return h;
}

/** A filesystem that fails writes on demand (tests run as root: chmod would not stop them). */
export class FaultyFs {
  /** When set, every write to a session log fails with this errno code. */
  failWrites?: string;
  /** When set, the next log write writes only this many bytes, then the following call fails. */
  shortWriteBytes?: number;
  writes = 0;
  readonly fs: StoreFs;
  constructor() {
    const faults = (): FaultyFs => this;
    this.fs = {
      ...nodeStoreFs,
      async write(fd, data, offset, length, position) {
        const self = faults();
        self.writes++;
        if (self.shortWriteBytes !== undefined) {
          const n = self.shortWriteBytes;
          self.shortWriteBytes = undefined;
          self.failWrites ??= 'ENOSPC';
          return nodeStoreFs.write(fd, data, offset, Math.min(n, length), position);
        }
        if (self.failWrites && position === null) {
          throw Object.assign(new Error(`${self.failWrites}: injected`), { code: self.failWrites });
        }
        return nodeStoreFs.write(fd, data, offset, length, position);
      },
    };
  }
}

/** Deterministic PRNG (mulberry32) for fuzz tests: a failing seed replays. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
