/**
 * Forking a session from one of its transcript records: a new session whose log is its own
 * `session.created`, copies of the source's event bodies up to the end of that record's turn, then
 * `session.forked`. The copy is what the conversation was at that point — what the model would
 * have been sent next, what the transcript showed — and nothing the source owns: no file changes,
 * reviews or restores (the ledger's events; the fork's changes start empty), no children, no queue.
 * The source is only read.
 */
import type { SessionEvent, SessionEventBody, SessionEventType } from './events';
import type { SessionConfig } from './types';
import type { Session } from './session';
import { AgentError } from '../base/errors';

/** Not copied: the fork has its own creation, title and config; owns no changes, children or queue. */
const NOT_COPIED: ReadonlySet<SessionEventType> = new Set<SessionEventType>([
  'session.created', 'session.renamed', 'session.config_changed', 'session.detached',
  'prompt.queued', 'prompt.removed',
  'child.started', 'child.completed',
  'file.changed', 'changes.incomplete', 'changes.kept',
  'restore.started', 'restore.file_skipped', 'conversation.rewound', 'conversation.unrewound', 'restore.completed',
  'session.forked',
  // Where the fork works is its own (creation.ts: its source's worktree, as a session that did not make it).
  'worktree.created', 'worktree.checked', 'worktree.applied', 'worktree.committed', 'worktree.discarded',
]);

/** Kept even when rewound: state of the session, not of its conversation. */
const KEPT_WHEN_REWOUND: ReadonlySet<SessionEventType> = new Set<SessionEventType>(['knowledge.loaded']);

const TURN_ENDS: ReadonlySet<SessionEventType> = new Set<SessionEventType>(['turn.completed', 'turn.failed', 'turn.cancelled', 'turn.interrupted']);

/** Whether `ev` created the transcript record `key` (as the fold creates records: shared/fold.ts). */
function creates(ev: SessionEvent, key: string): boolean {
  if (key.startsWith('m:')) return String(ev.seq) === key.slice(2);
  if (key.startsWith('tool:')) {
    const callId = key.slice(5);
    if (ev.type === 'message.completed') return !ev.partial && ev.content.some((c) => c.type === 'tool_call' && c.id === callId);
    return ev.type === 'tool.requested' && ev.callId === callId;
  }
  if (key.startsWith('retry:')) return ev.type === 'provider.retry' && key === `retry:${ev.turnId}:${ev.attempt}`;
  if (ev.type === 'turn.started') return ev.messageId === key;
  return (ev.type === 'message.started' || ev.type === 'message.completed') && ev.messageId === key;
}

/** Index of the event the copy ends with: the end of the record's turn, or the record's own event outside a turn. */
function cutIndex(events: readonly SessionEvent[], key: string): number {
  let turnId: string | undefined;
  for (let i = 0; i < events.length; i++) {
    const ev = events[i];
    if (ev.type === 'turn.started') turnId = ev.turnId;
    if (creates(ev, key)) {
      if (turnId === undefined) return i;
      for (let j = i; j < events.length; j++) {
        const end = events[j];
        if (TURN_ENDS.has(end.type) && 'turnId' in end && end.turnId === turnId) return j;
      }
      throw new AgentError('invalid_state', 'Wait for the turn to end, then fork.');
    }
    if (TURN_ENDS.has(ev.type)) turnId = undefined;
  }
  throw new AgentError('not_found', `There is no record ${JSON.stringify(key)} in this session to fork from.`);
}

/**
 * Seqs of the events a restore had rewound (and no redo had brought back) by the end of
 * `events`: out of the conversation then, so out of the copy (the ledger events that said so
 * are not copied).
 */
function rewoundSeqs(events: readonly SessionEvent[]): Set<number> {
  const by = new Map<number, string>();
  for (const ev of events) {
    if (ev.type === 'conversation.rewound') {
      for (const earlier of events) {
        if (earlier.seq >= ev.seq) break;
        if (earlier.seq >= ev.fromSeq && !by.has(earlier.seq)) by.set(earlier.seq, ev.restoreId);
      }
    } else if (ev.type === 'conversation.unrewound') {
      for (const [seq, restoreId] of by) if (restoreId === ev.restoreId) by.delete(seq);
    }
  }
  return new Set(by.keys());
}

/**
 * The bodies a fork from record `key` copies (seq, ts and session id stripped), and `fromSeq`,
 * the seq of the last one copied (of the cut, when none is). `key` is a transcript record key: a user or assistant message id,
 * a tool record `tool:<callId>`, a marker `m:<seq>`. The copy ends with the end of the record's
 * turn (a record outside any turn: with the record). Ledger events, the session's creation,
 * renames and config changes (the fork has its own), the queue and children are left out, and so
 * is what a restore had rewound by then. AgentError('invalid_state') while that turn has not ended;
 * AgentError('not_found') for a key no event created. The bodies share their parts with `events`
 * (a log just loaded: nothing else holds it).
 */
export function forkBodies(events: readonly SessionEvent[], key: string): { bodies: SessionEventBody[]; fromSeq: number } {
  const cut = cutIndex(events, key);
  const upTo = events.slice(0, cut + 1);
  const rewound = rewoundSeqs(upTo);
  const bodies: SessionEventBody[] = [];
  let fromSeq = events[cut].seq;
  for (const ev of upTo) {
    if (NOT_COPIED.has(ev.type) || (rewound.has(ev.seq) && !KEPT_WHEN_REWOUND.has(ev.type))) continue;
    const { seq, ts: _ts, sessionId: _id, ...body } = ev;
    bodies.push(body as SessionEventBody);
    fromSeq = seq;
  }
  return { bodies, fromSeq };
}

/** What a fork needs: the source (as it is now) and how to read its log and make a session. */
export interface ForkSource {
  id: string;
  title: string;
  config: SessionConfig;
  /** The source's whole log, freshly loaded (written out first when the source is open here). */
  loadEvents(): Promise<readonly SessionEvent[]>;
}

/** Longest title kept (Session titles are 1-200 characters). */
const MAX_TITLE = 200;

/**
 * Creates the fork of `source` from record `key` (see forkBodies): `create` makes and stores a new
 * session (its `session.created`, with the source's config and the title "Fork of <title>"), which
 * then records the copies and `session.forked`. Errors (invalid_state, not_found) come before
 * anything is created. Returns the fork, written out.
 */
export async function forkSession(source: ForkSource, key: string, create: (title: string, config: SessionConfig) => Promise<Session>): Promise<Session> {
  if (typeof key !== 'string' || key === '') throw new AgentError('bad_request', 'Say which message to fork from.');
  const { bodies, fromSeq } = forkBodies(await source.loadEvents(), key);
  const fork = await create(`Fork of ${source.title}`.slice(0, MAX_TITLE), structuredClone(source.config));
  fork.changes.copied(bodies);
  fork.changes.forked({ fromSessionId: source.id, fromSeq, fromTitle: source.title });
  await fork.flush();
  return fork;
}
