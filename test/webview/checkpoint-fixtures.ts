/**
 * Session `a` with two finished turns and an edit, as its log folds (the shared fold, as core and
 * the host build what they send), for the checkpoint, restore, fork and changes tests.
 */
import type { Browser } from 'playwright-core';
import type { FileImage, RestorePreview } from '../../src/shared/changes';
import type { SessionEvent, SessionEventBody } from '../../src/shared/events';
import { foldAll, toSnapshot } from '../../src/shared/fold';
import type { OpenedSession, WebviewMessage } from '../../src/shared/protocol';
import { config, openWebview, snapshotMessage, type WebviewPage } from './harness';

export const img = (hash: string, size = 10): FileImage => ({ state: 'file', hash, size, stored: true });

/** A file.changed body of a tool call (or none). */
export function changed(path: string, label: string, before: FileImage, after: FileImage, callId?: string): SessionEventBody {
  return {
    type: 'file.changed', changeId: `ch-${label}-${after.state === 'file' ? after.hash : 'gone'}`, path, label,
    kind: before.state === 'absent' ? 'created' : after.state === 'absent' ? 'deleted' : 'modified',
    before, after, source: 'tool', ...(callId ? { callId, turnId: 't1' } : {}),
  };
}

/**
 * Seq 1 created · 2 u1 (turn t1) · 3 m1 started · 4 m1 completed with call c1 · 5 c1 requested ·
 * 6 c1 started · 7 file.changed src/greet.js · 8 c1 completed · 9 m2 · 10 m2 completed ·
 * 11 t1 completed · 12 u2 (turn t2) · 13 m3 · 14 m3 completed · 15 t2 completed.
 */
export function baseLog(): SessionEventBody[] {
  return [
    { type: 'session.created', title: 'Alpha', config },
    { type: 'turn.started', turnId: 't1', promptId: 'p1', messageId: 'u1', text: 'Make the greeting shorter' },
    { type: 'message.started', turnId: 't1', messageId: 'm1', round: 1 },
    { type: 'message.completed', turnId: 't1', messageId: 'm1', stopReason: 'tool_use',
      content: [{ type: 'text', text: 'Editing it.' }, { type: 'tool_call', id: 'c1', name: 'edit_file', args: { path: 'src/greet.js' } }] },
    { type: 'tool.requested', turnId: 't1', callId: 'c1', name: 'edit_file', args: { path: 'src/greet.js' } },
    { type: 'tool.started', callId: 'c1', permission: { decision: 'allow', source: 'mode auto-edit' } },
    changed('/ws/src/greet.js', 'src/greet.js', img('h0'), img('h1'), 'c1'),
    { type: 'tool.completed', turnId: 't1', callId: 'c1', messageId: 'tm1', name: 'edit_file', content: 'edited', isError: false, durationMs: 12 },
    { type: 'message.started', turnId: 't1', messageId: 'm2', round: 2 },
    { type: 'message.completed', turnId: 't1', messageId: 'm2', stopReason: 'end_turn', content: [{ type: 'text', text: 'Done: the greeting is shorter.' }] },
    { type: 'turn.completed', turnId: 't1', stopReason: 'end_turn', rounds: 2 },
    { type: 'turn.started', turnId: 't2', promptId: 'p2', messageId: 'u2', text: 'Now say hello in French\nand run the tests' },
    { type: 'message.started', turnId: 't2', messageId: 'm3', round: 1 },
    { type: 'message.completed', turnId: 't2', messageId: 'm3', stopReason: 'end_turn', content: [{ type: 'text', text: 'Bonjour!' }] },
    { type: 'turn.completed', turnId: 't2', stopReason: 'end_turn', rounds: 1 },
  ];
}

export function toEvents(bodies: SessionEventBody[], sessionId = 'a', from = 1): SessionEvent[] {
  return bodies.map((b, i) => ({ ...b, seq: from + i, ts: from + i, sessionId }) as SessionEvent);
}

/** The session as the host opens it after `bodies`. */
export function openedFrom(bodies: SessionEventBody[], sessionId = 'a'): OpenedSession {
  const p = foldAll(sessionId, toEvents(bodies, sessionId));
  return { snapshot: toSnapshot(p), entries: p.records, hasMore: false, lastSeq: p.lastSeq };
}

/** A live page on session `a` opened after `bodies`; `push` folds on more events (seq continues). */
export interface LivePage {
  w: WebviewPage;
  push(...bodies: SessionEventBody[]): Promise<void>;
  /** The `n`th (0-based) request of `method` the webview posted, once posted. */
  request(method: string, n?: number): Promise<Extract<WebviewMessage, { kind: 'request' }>>;
  fail(id: string, code: string, message: string): Promise<void>;
}

export async function openLive(browser: Browser, bodies: SessionEventBody[] = baseLog()): Promise<LivePage> {
  const w = await openWebview(browser);
  const o = openedFrom(bodies);
  await w.push(snapshotMessage([o.snapshot], [o], 'a'));
  await w.page.getByRole('log', { name: 'Transcript' }).waitFor();
  let seq = o.lastSeq;
  return {
    w,
    push: async (...more) => {
      for (const b of more) await w.push({ kind: 'event', event: { ...b, seq: ++seq, ts: seq, sessionId: 'a' } as SessionEvent });
    },
    request: async (method, n = 0) => {
      const deadline = Date.now() + 5000;
      for (;;) {
        const all = (await w.posted()).filter((m): m is Extract<WebviewMessage, { kind: 'request' }> => m.kind === 'request' && m.method === method);
        if (all[n]) return all[n];
        if (Date.now() > deadline) throw new Error(`no request #${n} of ${method}; posted ${JSON.stringify(await w.posted()).slice(-1500)}`);
        await w.page.waitForTimeout(20);
      }
    },
    fail: (id, code, message) => w.push({ kind: 'reply', id, ok: false, error: { code, message, retryable: false } } as never),
  };
}

/** How many requests of `method` the webview posted. */
export async function countRequests(w: WebviewPage, method: string): Promise<number> {
  return (await w.posted()).filter((m) => m.kind === 'request' && m.method === method).length;
}

/** The preview of restoring u2 (scope both): one file reverts, one conflicts, one cannot go back. */
export const conflictPreview: RestorePreview = {
  key: 'u2', scope: 'both', seq: 12, rewoundRecords: 3,
  files: [
    { path: '/ws/src/greet.js', label: 'src/greet.js', action: 'revert', added: 2, removed: 5 },
    { path: '/ws/src/fr.js', label: 'src/fr.js', action: 'revert', added: 1, removed: 1, conflict: 'changed on disk after this session wrote it' },
    { path: '/ws/notes.txt', label: 'notes.txt', action: 'delete', added: 0, removed: 3 },
    { path: '/ws/logo.png', label: 'logo.png', action: 'recreate', unrestorable: 'binary file over 2 MiB: its content was not kept' },
  ],
};
