/**
 * The change ledger through real sessions (issue 13): the real SessionManager, the real file
 * tools and the fake LLM; every change a tool makes is recorded with kept pre- and post-images,
 * stale writes are refused, and concurrent sessions never lose each other's changes.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeLlm, type FakeLlm } from '../../fake-llm';
import { AgentError } from '../../../src/core/base/errors';
import { FsBlobStore, sha256 } from '../../../src/core/changes/blob-store';
import { diskWriter } from '../../../src/core/changes/disk-writer';
import type { FileWriter } from '../../../src/core/changes/types';
import type { EventOf } from '../../../src/core/session/events';
import { cleanupPlaces, fileChanges, filesUnder, openLedger, place, runPlan, type PlanStep } from './ledger-harness';

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); cleanupPlaces(); });

const hashOf = (text: string | Buffer): string => sha256(typeof text === 'string' ? Buffer.from(text) : text);
const read = (p: string): PlanStep => ({ name: 'read_file', args: { path: p } });
const edit = (p: string, oldText: string, newText: string, retry = false): PlanStep => ({ name: 'edit_file', args: { path: p, edits: [{ oldText, newText }] }, ...(retry ? { retry } : {}) });
const write = (p: string, content: string): PlanStep => ({ name: 'write_file', args: { path: p, content } });
const STALE = /^f\.txt changed on disk since you last read or wrote it \(by the user, another session or a command\); nothing was written\. Read it again, then redo the change\.$/;

void describe('the change ledger through sessions', () => {
  void test('every tool change is recorded with its kind and kept images; blobs deduplicated; no body in the log; the fold after reopen is the same', async () => {
    const p = place();
    const a0 = 'alpha\nMARKER-A-7f3 stays in blobs only\nomega\n';
    const b0 = 'MARKER-B-91c gone soon\n';
    const e0 = 'one\ntwo\n';
    writeFileSync(join(p.ws, 'a.txt'), a0);
    writeFileSync(join(p.ws, 'b.txt'), b0);
    writeFileSync(join(p.ws, 'e.txt'), e0);
    let h = await openLedger(fake, p);
    const s = await h.manager.create({ title: 'ledger', config: { mode: 'auto-edit' } });
    const results = await runPlan(h, s.id, [
      write('new.txt', 'fresh\n'),
      edit('a.txt', 'alpha', 'ALPHA'),
      edit('e.txt', 'two', 'TWO'),
      edit('e.txt', 'TWO', 'two'),
      { name: 'move_file', args: { from: 'new.txt', to: 'sub/new.txt' } },
      { name: 'delete_file', args: { path: 'b.txt' } },
    ]);
    assert.deepEqual(results.map((r) => r.isError), [false, false, false, false, false, false], JSON.stringify(results));
    assert.deepEqual(results.map((r) => r.content), [
      'Created new.txt (2 lines).', 'Edited a.txt: 1 replacement.', 'Edited e.txt: 1 replacement.', 'Edited e.txt: 1 replacement.',
      'Moved new.txt to sub/new.txt.', 'Deleted b.txt.',
    ]);
    const a1 = a0.replace('alpha', 'ALPHA');
    assert.equal(readFileSync(join(p.ws, 'a.txt'), 'utf8'), a1);
    assert.equal(readFileSync(join(p.ws, 'sub/new.txt'), 'utf8'), 'fresh\n');
    assert.equal(existsSync(join(p.ws, 'b.txt')), false);
    assert.equal(existsSync(join(p.ws, 'new.txt')), false);

    const events = h.of(s.id);
    const changes = fileChanges(events);
    assert.deepEqual(changes.map((c) => [c.kind, c.label, c.source, c.via]), [
      ['created', 'new.txt', 'tool', 'disk'], ['modified', 'a.txt', 'tool', 'disk'], ['modified', 'e.txt', 'tool', 'disk'],
      ['modified', 'e.txt', 'tool', 'disk'], ['renamed', 'sub/new.txt', 'tool', 'disk'], ['deleted', 'b.txt', 'tool', 'disk'],
    ]);
    const turnId = events.find((e): e is EventOf<'turn.started'> => e.type === 'turn.started')!.turnId;
    const callIds = events.filter((e): e is EventOf<'tool.requested'> => e.type === 'tool.requested').map((e) => e.callId);
    assert.deepEqual(changes.map((c) => c.callId), callIds, 'each change names its call');
    assert.ok(changes.every((c) => c.turnId === turnId));
    const hashes = (c: (typeof changes)[number]) => [c.before.state === 'file' ? c.before.hash : c.before.state, c.after.state === 'file' ? c.after.hash : c.after.state];
    const e1 = 'one\nTWO\n';
    assert.deepEqual(changes.map(hashes), [
      ['absent', hashOf('fresh\n')], [hashOf(a0), hashOf(a1)], [hashOf(e0), hashOf(e1)], [hashOf(e1), hashOf(e0)],
      [hashOf('fresh\n'), hashOf('fresh\n')], [hashOf(b0), 'absent'],
    ]);
    const moved = changes[4]!;
    assert.equal(moved.from, join(p.ws, 'new.txt'));
    assert.equal(moved.fromLabel, 'new.txt');
    assert.equal(moved.path, join(p.ws, 'sub/new.txt'));

    // Blobs: each body once (e.txt's original came back: one blob), checked bytes.
    const blobDir = join(p.changesDir, s.id, 'blobs');
    assert.equal(filesUnder(blobDir).size, 6, 'fresh, a0, a1, e0, e1, b0: one blob each');
    const blobs = new FsBlobStore(blobDir);
    for (const [text] of [[a0], [a1], [b0], [e0], [e1], ['fresh\n']]) assert.equal((await blobs.get(hashOf(text!))).toString('utf8'), text);
    assert.ok(changes.every((c) => c.before.state !== 'file' || c.before.stored));

    // The session's log: hashes, never the bodies the model did not send or see.
    await h.store.flush();
    const logged = [...filesUnder(p.storeDir).values()].map((b) => b.toString('utf8')).join('\n');
    assert.ok(logged.includes(hashOf(a0)), 'the log holds the hashes');
    assert.doesNotMatch(logged, /MARKER-A-7f3|MARKER-B-91c/, 'no pre-image body in the log');

    const live = h.manager.get(s.id)!.changes;
    assert.deepEqual(live.map((r) => [r.label, r.kind, r.restorable]), [['a.txt', 'modified', true], ['sub/new.txt', 'created', true], ['b.txt', 'deleted', true]]);
    const [rowA, rowNew, rowB] = live;
    assert.deepEqual([rowA!.baseline, rowA!.current], [changes[1]!.before, changes[1]!.after]);
    assert.deepEqual([rowNew!.baseline, rowNew!.current], [{ state: 'absent' }, changes[4]!.after]);
    assert.deepEqual([rowB!.baseline, rowB!.current], [changes[5]!.before, { state: 'absent' }]);

    await h.close();
    h = await openLedger(fake, p);
    assert.deepEqual((await h.manager.open(s.id)).changes, live, 'the reopened fold equals the live one');
    await h.close();
  });

  void test('two sessions on one file: a stale edit is refused, the other session\'s change kept; after reading again it applies', async () => {
    const p = place();
    const f = join(p.ws, 'f.txt');
    writeFileSync(f, 'line1\nline2\nline3\n');
    const h = await openLedger(fake, p);
    const a = await h.manager.create({ title: 'A', config: { mode: 'auto-edit' } });
    const b = await h.manager.create({ title: 'B', config: { mode: 'auto-edit' } });
    await runPlan(h, a.id, [read('f.txt')]);
    const [byB] = await runPlan(h, b.id, [edit('f.txt', 'line2', 'LINE2 by B')]);
    assert.equal(byB!.isError, false);
    const [stale] = await runPlan(h, a.id, [edit('f.txt', 'line1', 'LINE1 by A')]);
    assert.equal(stale!.isError, true);
    assert.match(stale!.content, STALE);
    assert.equal(readFileSync(f, 'utf8'), 'line1\nLINE2 by B\nline3\n', 'B\'s change kept, nothing of A written');
    assert.equal(fileChanges(h.of(a.id)).length, 0, 'the refused edit is not recorded');

    const again = await runPlan(h, a.id, [read('f.txt'), edit('f.txt', 'line1', 'LINE1 by A')]);
    assert.equal(again[1]!.isError, false, again[1]!.content);
    assert.equal(readFileSync(f, 'utf8'), 'LINE1 by A\nLINE2 by B\nline3\n', 'neither change lost');
    const [ofA] = fileChanges(h.of(a.id));
    const [ofB] = fileChanges(h.of(b.id));
    assert.deepEqual(ofA!.before, ofB!.after, 'A\'s change starts from B\'s');
    await h.close();
  });

  void test('the user edits the file between the session\'s read and its edit: the edit is refused', async () => {
    const p = place();
    const f = join(p.ws, 'f.txt');
    writeFileSync(f, 'a\nb\n');
    const h = await openLedger(fake, p);
    const s = await h.manager.create({ title: 's', config: { mode: 'auto-edit' } });
    await runPlan(h, s.id, [read('f.txt')]);
    writeFileSync(f, 'a\nb\nc (the user)\n');
    const [r] = await runPlan(h, s.id, [edit('f.txt', 'b', 'B')]);
    assert.equal(r!.isError, true);
    assert.match(r!.content, STALE);
    assert.equal(readFileSync(f, 'utf8'), 'a\nb\nc (the user)\n');
    assert.deepEqual(fileChanges(h.of(s.id)), []);
    await h.close();
  });

  void test('write_file over an existing file the session never read is refused; after reading it, it writes', async () => {
    const p = place();
    const f = join(p.ws, 'f.txt');
    writeFileSync(f, 'precious\n');
    const h = await openLedger(fake, p);
    const s = await h.manager.create({ title: 's', config: { mode: 'auto-edit' } });
    const [r] = await runPlan(h, s.id, [write('f.txt', 'clobbered\n')]);
    assert.equal(r!.isError, true);
    assert.equal(r!.content, 'f.txt already exists and you have not read it in this session; nothing was written. Read it first (read_file), then redo the change.');
    assert.equal(readFileSync(f, 'utf8'), 'precious\n');
    assert.deepEqual(fileChanges(h.of(s.id)), []);
    const ok = await runPlan(h, s.id, [read('f.txt'), write('f.txt', 'rewritten\n')]);
    assert.equal(ok[1]!.content, 'Overwrote f.txt (2 lines).');
    assert.deepEqual(fileChanges(h.of(s.id)).map((c) => c.kind), ['modified']);
    await h.close();
  });

  void test('two sessions edit different lines of one file at the same time: both changes end up in the file', async () => {
    const p = place();
    const f = join(p.ws, 'f.txt');
    writeFileSync(f, 'one\ntwo\nthree\nfour\n');
    // A slow disk: each write takes a while, so the other session's edit comes while one is being written.
    const slow: FileWriter = {
      write: async (abs, content) => { await new Promise((r) => setTimeout(r, 150)); return diskWriter.write(abs, content); },
      remove: (abs) => diskWriter.remove(abs),
      rename: (from, to) => diskWriter.rename(from, to),
    };
    const h = await openLedger(fake, p, { fileWriter: slow });
    const a = await h.manager.create({ title: 'A', config: { mode: 'auto-edit' } });
    const b = await h.manager.create({ title: 'B', config: { mode: 'auto-edit' } });
    const [ra, rb] = await Promise.all([runPlan(h, a.id, [edit('f.txt', 'two', 'TWO by A', true)]), runPlan(h, b.id, [edit('f.txt', 'four', 'FOUR by B', true)])]);
    assert.equal(readFileSync(f, 'utf8'), 'one\nTWO by A\nthree\nFOUR by B\n', `${JSON.stringify(ra)} ${JSON.stringify(rb)}`);
    const all = [...fileChanges(h.of(a.id)), ...fileChanges(h.of(b.id))].sort((x, y) => x.ts - y.ts);
    assert.equal(all.length, 2, 'one recorded change each');
    assert.deepEqual(all[1]!.before, all[0]!.after, 'the later change starts from the earlier one');
    await h.close();
  });

  void test('a writer that refuses (an editor buffer with unsaved changes) → the tool fails with its message, nothing recorded, the file untouched', async () => {
    const p = place();
    const f = join(p.ws, 'f.txt');
    writeFileSync(f, 'x\n');
    const message = 'f.txt has unsaved changes in the editor; save or revert them, then redo the change.';
    const editor: FileWriter = {
      write: async () => { throw new AgentError('conflict', message); },
      remove: async () => { throw new AgentError('conflict', message); },
      rename: async () => { throw new AgentError('conflict', message); },
    };
    const h = await openLedger(fake, p, { fileWriter: editor });
    const s = await h.manager.create({ title: 's', config: { mode: 'auto-edit' } });
    const results = await runPlan(h, s.id, [edit('f.txt', 'x', 'y'), { name: 'delete_file', args: { path: 'f.txt' } }]);
    assert.deepEqual(results.map((r) => [r.isError, r.content]), [[true, message], [true, message]]);
    assert.equal(readFileSync(f, 'utf8'), 'x\n');
    assert.deepEqual(fileChanges(h.of(s.id)), []);
    assert.deepEqual(h.manager.get(s.id)!.changes, []);
    await h.close();
  });

  void test('binary and oversize files are recorded by hash and size, not kept (stored: false)', async () => {
    const p = place();
    const bin = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff, 0xfe]);
    writeFileSync(join(p.ws, 'logo.png'), bin);
    const h = await openLedger(fake, p, { maxBlobBytes: 1_000 });
    const s = await h.manager.create({ title: 's', config: { mode: 'auto-edit' } });
    const big = 'x'.repeat(4_999) + '\n';
    const results = await runPlan(h, s.id, [{ name: 'delete_file', args: { path: 'logo.png' } }, write('big.txt', big), write('nul.bin', 'a\u0000b')]);
    assert.ok(results.every((r) => !r.isError), JSON.stringify(results));
    const [del, bigChange, nul] = fileChanges(h.of(s.id));
    assert.deepEqual(del!.before, { state: 'file', hash: sha256(bin), size: bin.length, stored: false, binary: true, note: 'a binary file: recorded by hash and size only, it cannot be restored' });
    assert.deepEqual(bigChange!.after, { state: 'file', hash: hashOf(big), size: 5_000, stored: false, note: 'over the 1,000-byte limit for kept files: it cannot be restored' });
    assert.equal(nul!.after.state === 'file' && nul!.after.binary, true);
    assert.equal(filesUnder(join(p.changesDir, s.id, 'blobs')).size, 0, 'nothing kept');
    const row = h.manager.get(s.id)!.changes.find((r) => r.label === 'logo.png')!;
    assert.equal(row.restorable, false);
    assert.match(row.note ?? '', /binary/);
    await h.close();
  });

  void test('a file swapped for a symlink to outside the workspace while the card is open → refused, the outside file untouched', async () => {
    const p = place();
    const link = join(p.ws, 'notes.txt');
    const secret = join(p.outside, 'secret.txt');
    writeFileSync(link, 'same\n');
    writeFileSync(secret, 'same\n');
    const h = await openLedger(fake, p);
    const s = await h.manager.create({ title: 's', config: { mode: 'ask' } });
    await h.manager.send(s.id, `plan:${JSON.stringify([edit('notes.txt', 'same', 'changed')])}`);
    const card = await h.waitFor('approval.requested', (e) => e.sessionId === s.id);
    rmSync(link);
    symlinkSync(secret, link);
    await h.manager.resolveApproval(s.id, card.approval.id, { decision: 'approve' });
    await h.manager.whenIdle(s.id);
    const done = h.of(s.id).find((e) => e.type === 'tool.completed');
    assert.ok(done?.type === 'tool.completed' && done.isError);
    assert.match(done.content, /outside the workspace/);
    assert.equal(readFileSync(secret, 'utf8'), 'same\n');
    assert.deepEqual(fileChanges(h.of(s.id)), []);
    await h.close();
  });

  void test('multi-root workspace: labels carry the folder name', async () => {
    const p = place();
    const front = join(p.ws, 'front');
    const back = join(p.ws, 'back');
    mkdirSync(front);
    mkdirSync(back);
    const h = await openLedger(fake, p, { workspaceRoots: [front, back] });
    const s = await h.manager.create({ title: 's', config: { mode: 'auto-edit' } });
    await runPlan(h, s.id, [write('x.txt', 'x\n'), write(join(back, 'lib/y.txt'), 'y\n')]);
    assert.deepEqual(fileChanges(h.of(s.id)).map((c) => [c.label, c.path]), [['front/x.txt', join(front, 'x.txt')], ['back/lib/y.txt', join(back, 'lib/y.txt')]]);
    assert.deepEqual(h.manager.get(s.id)!.changes.map((r) => r.label), ['front/x.txt', 'back/lib/y.txt']);
    await h.close();
  });

  void test('deleting a session deletes its kept file versions', async () => {
    const p = place();
    const h = await openLedger(fake, p);
    const s = await h.manager.create({ title: 's', config: { mode: 'auto-edit' } });
    await runPlan(h, s.id, [write('x.txt', 'kept body\n')]);
    assert.equal(filesUnder(join(p.changesDir, s.id)).size, 1);
    await h.manager.delete(s.id);
    assert.equal(existsSync(join(p.changesDir, s.id)), false);
    await h.close();
  });
});
