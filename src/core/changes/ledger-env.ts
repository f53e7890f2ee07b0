/**
 * The change ledger's side of the session manager (LedgerEnv, `TurnEnv.ledger`): one blob store
 * per session, one file writer, one table of per-path locks for every session of the window, the
 * labels of paths and what each session last saw of each file.
 */
import { realpathSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../ports';
import type { BlobStore, FileWriter, HunkOps, LedgerEnv, WorkspaceWatcher } from './types';
import { assertSafeId } from '../base/ids';
import { toAgentError } from '../base/errors';
import { FsBlobStore, MemoryBlobStore } from './blob-store';
import { diskWriter } from './disk-writer';
import { PathLockTable } from './path-locks';
import { labelOf } from './labels';

/** What the ledger takes from the manager's deps (SessionManagerDeps extends it). */
export interface LedgerDeps {
  /** The change ledger's folder (`<changesDir>/<sessionId>/blobs`); absent: blobs in memory only (lost with the process). */
  changesDir?: string;
  /** How file changes reach files (VS Code: through the editor's buffer when open); default: atomic writes to disk. */
  fileWriter?: FileWriter;
  /** Largest file whose bytes the ledger keeps (bigger ones are recorded by hash and size). Default 2 MiB. */
  maxBlobBytes?: number;
  workspaceRoots: readonly string[];
  /** Finds what commands change in the workspace; absent: commands' side effects are not tracked (cards say so). */
  workspaceWatcher?: WorkspaceWatcher;
  /** Line hunks for the Changes view's counts and per-hunk review. Default: src/core/changes/hunks.ts. */
  hunks?: HunkOps;
  logger: Logger;
}

/** The real paths of the roots (a root given through a symlink labels the real paths tools resolve to). */
function realRoots(roots: readonly string[]): string[] {
  return roots.map((r) => {
    try {
      return realpathSync.native(r);
    } catch {
      return path.resolve(r); // a root that does not exist (yet): its given form is all there is
    }
  });
}

function sameRoots(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((r, i) => r === b[i]));
}

/** The LedgerEnv of one session manager. */
export function createLedgerEnv(deps: LedgerDeps): LedgerEnv {
  const stores = new Map<string, BlobStore>();
  // Real paths of sessions' own roots (worktrees), resolved once each while they exist.
  const otherReals = new Map<string, string>();
  const realsOf = (given: readonly string[]): string[] => given.map((r) => {
    const known = otherReals.get(r);
    if (known !== undefined) return known;
    try {
      const real = realpathSync.native(r);
      otherReals.set(r, real);
      return real;
    } catch {
      return r; // not there (yet): its given form is all there is
    }
  });
  const known = new Map<string, Map<string, string>>();
  const roots = deps.workspaceRoots.map((r) => path.resolve(r));
  const reals = realRoots(roots);
  const policy = deps.maxBlobBytes !== undefined ? { maxBytes: deps.maxBlobBytes } : {};
  const folderOf = (sessionId: string): string | undefined => {
    assertSafeId(sessionId);
    return deps.changesDir === undefined ? undefined : path.join(deps.changesDir, sessionId);
  };
  return {
    blobs(sessionId) {
      let store = stores.get(sessionId);
      if (!store) {
        const folder = folderOf(sessionId);
        store = folder === undefined ? new MemoryBlobStore(policy) : new FsBlobStore(path.join(folder, 'blobs'), policy);
        stores.set(sessionId, store);
      }
      return store;
    },
    writer: deps.fileWriter ?? diskWriter,
    locks: new PathLockTable(),
    labelOf(absolute, sessionRoots) {
      const given = sessionRoots && !sameRoots(sessionRoots, deps.workspaceRoots) ? sessionRoots.map((r) => path.resolve(r)) : roots;
      const real = given === roots ? reals : realsOf(given);
      const label = labelOf(absolute, real);
      return label === absolute ? labelOf(absolute, given) : label;
    },
    ...(deps.workspaceWatcher ? { watcher: deps.workspaceWatcher } : {}),
    known(sessionId) {
      let states = known.get(sessionId);
      if (!states) {
        states = new Map();
        known.set(sessionId, states);
      }
      return states;
    },
    // Never throws: a session is deleted even when its blobs cannot be (they are only logged).
    async dropSession(sessionId) {
      stores.delete(sessionId);
      known.delete(sessionId);
      const folder = folderOf(sessionId);
      if (folder === undefined) return;
      try {
        await fs.rm(folder, { recursive: true, force: true });
      } catch (e) {
        deps.logger.warn(`The kept file versions of ${sessionId} could not be deleted: ${toAgentError(e).message}`);
      }
    },
  };
}
