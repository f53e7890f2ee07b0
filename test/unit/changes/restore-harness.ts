/**
 * What the restore tests build themselves instead of depending on the other ledger helpers' code:
 * a LedgerEnv over real blob folders, locks and the disk writer; a way into the manager's fully
 * loaded Session (to record `file.changed` for changes the test makes, as a file tool would);
 * a small line diff standing in for HunkOps; and the conversation a fake-LLM request carried.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { SessionManager } from '../../../src/core/session/manager';
import type { Session, SessionEnv } from '../../../src/core/session/session';
import type { BlobStore, ChangeHunk, HunkOps, LedgerEnv } from '../../../src/core/changes/types';
import type { FileImage } from '../../../src/shared/changes';
import type { RecordedRequest } from '../../fake-llm';
import { FsBlobStore } from '../../../src/core/changes/blob-store';
import { PathLockTable } from '../../../src/core/changes/path-locks';
import { diskWriter } from '../../../src/core/changes/disk-writer';
import { labelOf } from '../../../src/core/changes/labels';
import { imageOf, readBytes, stateOfImage } from '../../../src/core/changes/images';

/** A LedgerEnv with blobs under `changesDir/<sessionId>/blobs`. */
export function makeLedger(changesDir: string, roots: readonly string[]): LedgerEnv {
  const stores = new Map<string, BlobStore>();
  const known = new Map<string, Map<string, string>>();
  return {
    blobs: (id) => {
      let s = stores.get(id);
      if (!s) { s = new FsBlobStore(join(changesDir, id, 'blobs')); stores.set(id, s); }
      return s;
    },
    writer: diskWriter,
    locks: new PathLockTable(),
    labelOf: (p) => labelOf(p, roots),
    known: (id) => {
      let m = known.get(id);
      if (!m) { m = new Map(); known.set(id, m); }
      return m;
    },
    dropSession: async (id) => { await fs.rm(join(changesDir, id), { recursive: true, force: true }); },
  };
}

/** Gives the manager's sessions this ledger (the "ledger" helper wires the real one). */
export function attachLedger(manager: SessionManager, ledger: LedgerEnv): void {
  (manager as unknown as { env: SessionEnv }).env.ledger = ledger;
}

/** The manager's fully loaded Session (its private accessor). */
export function sessionOf(manager: SessionManager, id: string): Promise<Session> {
  return (manager as unknown as { session(id: string): Promise<Session> }).session(id);
}

/**
 * Changes a file as a file tool would: writes it (undefined = deletes it), keeps both images in
 * the session's blobs and records the `file.changed`. Returns the images.
 */
export async function toolChange(session: Session, ledger: LedgerEnv, path: string, content: string | undefined): Promise<{ before: FileImage; after: FileImage }> {
  const blobs = ledger.blobs(session.id);
  const before = await imageOf(await readBytes(path), blobs);
  if (content === undefined) await fs.rm(path, { force: true });
  else { await fs.mkdir(join(path, '..'), { recursive: true }); await fs.writeFile(path, content); }
  const after = await imageOf(content === undefined ? undefined : Buffer.from(content), blobs);
  const kind = before.state === 'absent' ? 'created' : after.state === 'absent' ? 'deleted' : 'modified';
  session.changes.fileChanged({ path, label: ledger.labelOf(path), kind, before, after, source: 'tool' });
  const state = stateOfImage(after);
  if (state) ledger.known(session.id).set(path, state);
  return { before, after };
}

/** Where a blob lives in an FsBlobStore (plain or gzipped). */
export async function blobFile(changesDir: string, sessionId: string, hash: string): Promise<string> {
  const plain = join(changesDir, sessionId, 'blobs', hash.slice(0, 2), hash);
  return fs.access(plain).then(() => plain, () => `${plain}.gz`);
}

/** Lines of a text (a final newline ends the last line). */
function lines(text: string): string[] {
  if (text === '') return [];
  const out = text.split(/(?<=\n)/);
  return out;
}

/** A plain LCS line diff: hunks of a baseline against a text (enough for tests; hunks.ts is the real one). */
function diff(a: string[], b: string[]): ChangeHunk[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const hunks: ChangeHunk[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { i++; j++; continue; }
    const [bs, s] = [i, j];
    while ((i < n || j < m) && !(i < n && j < m && a[i] === b[j])) {
      if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j])) j++; else i++;
    }
    hunks.push({ index: hunks.length, baseStart: bs, baseEnd: i, start: s, end: j, added: j - s, removed: i - bs });
  }
  return hunks;
}

/** HunkOps over the plain diff above. */
export const testHunks: HunkOps = {
  diffHunks: (base, now) => diff(lines(base), lines(now)),
  revertHunk: (base, now, index) => {
    const [a, b] = [lines(base), lines(now)];
    const h = diff(a, b)[index];
    return [...b.slice(0, h.start), ...a.slice(h.baseStart, h.baseEnd), ...b.slice(h.end)].join('');
  },
  keepHunk: (base, now, index) => {
    const [a, b] = [lines(base), lines(now)];
    const h = diff(a, b)[index];
    return [...a.slice(0, h.baseStart), ...b.slice(h.start, h.end), ...a.slice(h.baseEnd)].join('');
  },
  lineCounts: (base, now) => diff(lines(base), lines(now)).reduce((t, h) => ({ added: t.added + h.added, removed: t.removed + h.removed }), { added: 0, removed: 0 }),
};

/** The user and assistant texts a request carried, in order (`user: …`, `assistant: …`). */
export function conversationOf(req: RecordedRequest): string[] {
  const messages = Array.isArray(req.body?.messages) ? (req.body.messages as Array<{ role?: unknown; content?: unknown }>) : [];
  return messages
    .filter((m) => m.role === 'user' || m.role === 'assistant')
    .map((m) => `${String(m.role)}: ${typeof m.content === 'string' ? m.content : JSON.stringify(m.content)}`);
}
