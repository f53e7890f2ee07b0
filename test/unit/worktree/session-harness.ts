/**
 * Sessions rooted in a worktree without git: the log of a session says `worktree.created` at a
 * plain temp folder (written into the store as a host that made the worktree would have left it),
 * and a fresh manager over the same store opens it. The real SessionManager, the real file tools,
 * a JSONL store and the fake LLM scripted by the prompt (ledger-harness.ts's `plan:[…]`).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeLlm } from '../../fake-llm';
import type { Harness } from '../session/harness';
import type { SessionManagerDeps } from '../../../src/core/session/manager';
import type { SessionConfig } from '../../../src/core/session/types';
import type { SessionEvent, SessionEventBody } from '../../../src/shared/events';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import { foldEvents, toIndexEntry } from '../../../src/core/session/reducer';
import { openLedger, type Place } from '../changes/ledger-harness';

export const BASE = { ref: 'HEAD', commit: 'c'.repeat(40), branch: 'main' };

/** Appends `bodies` to session `id`'s log in `storeDir` (after its last event) with its index row; the store is closed after. */
export async function appendToLog(storeDir: string, id: string, bodies: SessionEventBody[]): Promise<void> {
  const store = new JsonlSessionStore({ directory: storeDir });
  const { events } = await store.load(id);
  let seq = events.at(-1)?.seq ?? 0;
  const added = bodies.map((b) => ({ ...b, seq: ++seq, ts: Date.now(), sessionId: id }) as SessionEvent);
  for (const e of added) store.append(id, e);
  store.updateIndex(toIndexEntry(foldEvents(id, [...events, ...added])));
  await store.flush();
  await store.close();
}

export interface Rooted {
  h: Harness;
  /** The session working in `folder`. */
  id: string;
  /** Its worktree folder. */
  folder: string;
}

/**
 * A manager over `p` whose session `id` works in `folder` (made when missing): created in the shared
 * tree by a first manager, its log then given `worktree.created` (plus `extra`), opened by a second one.
 */
export async function rootedSession(
  fake: FakeLlm, p: Place, o: { folder?: string; config?: Partial<SessionConfig>; deps?: Partial<SessionManagerDeps>; extra?: SessionEventBody[]; title?: string } = {},
): Promise<Rooted> {
  const folder = o.folder ?? join(p.outside, 'wt-session');
  mkdirSync(folder, { recursive: true });
  const first = await openLedger(fake, p, o.deps);
  const s = await first.manager.create({ title: o.title ?? 'In its worktree', config: { mode: 'full', ...o.config } });
  await first.close();
  await appendToLog(p.storeDir, s.id, [
    { type: 'worktree.created', path: folder, branch: 'agent/in-its-worktree-abc123', repoRoot: p.ws, base: BASE },
    ...(o.extra ?? []),
  ]);
  const h = await openLedger(fake, p, o.deps);
  return { h, id: s.id, folder };
}

/** Approves every approval `h`'s sessions ask for (a main-tree path must then still be refused by the tool itself). */
export function approveAll(h: Harness): void {
  h.manager.onEvent((e) => {
    if (e.type === 'approval.requested') void h.manager.resolveApproval(e.sessionId, e.approval.id, { decision: 'approve' }).catch(() => undefined);
  });
}
