/**
 * SessionFiles of one tool call, on a real temp workspace with the real LedgerEnv (blobs on disk,
 * per-path locks): what is recorded (the bodies the session's ChangeRecorder is handed), what is
 * refused, and what a command's workspace watch records.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChangeRecorder } from '../../../src/core/session/change-recorder';
import type { SessionEventBody } from '../../../src/core/session/events';
import { createLedgerEnv } from '../../../src/core/changes/ledger-env';
import { createSessionFiles, UNTRACKED_COMMANDS_NOTE, type SessionChangesView } from '../../../src/core/changes/session-files';
import { sha256 } from '../../../src/core/changes/blob-store';
import type { ScannedChange, WorkspaceWatcher } from '../../../src/core/changes/types';
import type { ChangedFile, FileImage } from '../../../src/shared/changes';
import { nullLogger } from '../../../src/core/ports';
import { cleanupPlaces, place, type Place } from './ledger-harness';

after(cleanupPlaces);

interface Rig {
  p: Place;
  bodies: SessionEventBody[];
  files(callId?: string, sessionId?: string): ReturnType<typeof createSessionFiles>;
  data: { changes: ChangedFile[]; changeNotes?: string[] };
}

function rig(options: { watcher?: WorkspaceWatcher; data?: SessionChangesView } = {}): Rig {
  const p = place('session-files-');
  const bodies: SessionEventBody[] = [];
  const changes = new ChangeRecorder((body) => { bodies.push(body); });
  const ledger = createLedgerEnv({ changesDir: p.changesDir, workspaceRoots: [p.ws], logger: nullLogger, ...(options.watcher ? { workspaceWatcher: options.watcher } : {}) });
  const data = (options.data ?? { changes: [] }) as Rig['data'];
  return {
    p, bodies, data,
    files: (callId = 'c1', sessionId = 's1') => createSessionFiles({ sessionId, turnId: 't1', callId, changes, ledger, data, workspaceRoots: [p.ws] }),
  };
}

const image = (text: string): FileImage => ({ state: 'file', hash: sha256(Buffer.from(text)), size: Buffer.byteLength(text), stored: true });

void describe('SessionFiles', () => {
  void test('a path swapped for a symlink to outside after the tool resolved it is refused under the lock (file or folder)', async () => {
    const r = rig();
    const outsideFile = join(r.p.outside, 'secret.txt');
    writeFileSync(outsideFile, 'secret\n');
    const file = join(r.p.ws, 'notes.txt');
    writeFileSync(file, 'notes\n');
    const files = r.files();
    rmSync(file);
    symlinkSync(outsideFile, file);
    const one = await files.update(file, () => ({ content: 'pwned\n' }));
    assert.equal(one.ok, false);
    assert.match(!one.ok ? one.error : '', /outside the workspace.*Nothing was written/s);

    mkdirSync(join(r.p.ws, 'dir'));
    const inDir = join(r.p.ws, 'dir', 'a.txt');
    writeFileSync(inDir, 'a\n');
    writeFileSync(join(r.p.outside, 'a.txt'), 'a\n');
    renameSync(join(r.p.ws, 'dir'), join(r.p.ws, 'dir-moved'));
    symlinkSync(r.p.outside, join(r.p.ws, 'dir'));
    const two = await files.remove(inDir);
    assert.equal(two.ok, false);
    assert.equal(readFileSync(outsideFile, 'utf8'), 'secret\n');
    assert.equal(readFileSync(join(r.p.outside, 'a.txt'), 'utf8'), 'a\n', 'the outside file is not deleted');
    assert.deepEqual(r.bodies, []);
  });

  void test('the same bytes again: nothing written, nothing recorded', async () => {
    const r = rig();
    const file = join(r.p.ws, 'a.txt');
    writeFileSync(file, 'same\n');
    const before = statSync(file).mtimeMs;
    const outcome = await r.files().update(file, (current) => ({ content: current.text! }));
    assert.equal(outcome.ok, true);
    assert.equal(statSync(file).mtimeMs, before);
    assert.deepEqual(r.bodies, []);
  });

  void test('a reopened session keeps its guard: what its changed rows say it wrote is what it knows', async () => {
    const r = rig({ data: { changes: [] } });
    const path = join(r.p.ws, 'a.txt');
    writeFileSync(path, 'mine\n');
    r.data.changes.push({ path, label: 'a.txt', kind: 'created', baseline: { state: 'absent' }, current: image('mine\n'), firstSeq: 3, lastSeq: 3, restorable: true });
    writeFileSync(path, 'the user since\n');
    const outcome = await r.files().update(path, () => ({ content: 'mine, again\n' }));
    assert.equal(outcome.ok, false);
    assert.match(!outcome.ok ? outcome.error : '', /^a\.txt changed on disk since you last read or wrote it/);
    assert.equal(readFileSync(path, 'utf8'), 'the user since\n');
  });

  void test('move: one renamed event with both paths; an existing destination is refused', async () => {
    const r = rig();
    const from = join(r.p.ws, 'a.txt');
    const to = join(r.p.ws, 'deep', 'b.txt');
    writeFileSync(from, 'A\n');
    const files = r.files();
    assert.deepEqual(await files.move(from, to), { ok: true, kind: 'renamed', via: 'disk' });
    assert.equal(readFileSync(to, 'utf8'), 'A\n');
    assert.deepEqual(r.bodies.map((b) => b.type === 'file.changed' && [b.kind, b.label, b.fromLabel, b.from, b.path]), [['renamed', 'deep/b.txt', 'a.txt', from, to]]);

    writeFileSync(from, 'new A\n');
    const refused = await files.move(from, to);
    assert.deepEqual(refused, { ok: false, error: 'deep/b.txt already exists; nothing was moved. Choose another name, or delete it first if it is to go.' });
    assert.equal(readFileSync(to, 'utf8'), 'A\n');
    assert.equal(readFileSync(from, 'utf8'), 'new A\n');
    assert.equal(r.bodies.length, 1);
  });

  void test('without a workspace watcher a command says once per session that its changes are not tracked', async () => {
    const r = rig();
    for (const callId of ['c1', 'c2']) {
      const watch = await r.files(callId).watchCommand();
      await watch.finish();
    }
    await (await r.files('c3', 's2').watchCommand()).finish();
    assert.deepEqual(r.bodies, [
      { type: 'changes.incomplete', message: UNTRACKED_COMMANDS_NOTE, callId: 'c1', turnId: 't1' },
      { type: 'changes.incomplete', message: UNTRACKED_COMMANDS_NOTE, callId: 'c3', turnId: 't1' },
    ]);
    // A reopened session (its note is in its log, so in its folded notes) is not told again.
    const reopened = rig({ data: { changes: [], changeNotes: [UNTRACKED_COMMANDS_NOTE] } });
    await (await reopened.files().watchCommand()).finish();
    assert.deepEqual(reopened.bodies, []);
  });

  void test('a command\'s changes are recorded from the watcher (source command), unchanged ones skipped; it sees the images the session knows', async () => {
    let asked: Array<FileImage | undefined> = [];
    let found: ScannedChange[] = [];
    const r0 = { path: '' };
    const watcher: WorkspaceWatcher = {
      async begin(o) {
        asked = [o.known(r0.path), o.known(join(o.roots[0]!, 'never-seen.txt'))];
        return { finish: async () => ({ changes: found, notes: ['stopped after 10,000 files'] }) };
      },
    };
    const r = rig({ watcher });
    const a = join(r.p.ws, 'a.txt');
    r0.path = a;
    r.data.changes.push({ path: a, label: 'a.txt', kind: 'created', baseline: { state: 'absent' }, current: image('v1\n'), firstSeq: 2, lastSeq: 2, restorable: true });
    const files = r.files('c9');
    const watch = await files.watchCommand();
    assert.deepEqual(asked, [image('v1\n'), undefined]);
    writeFileSync(a, 'v2 by the command\n');
    found = [
      { path: a, kind: 'modified', before: image('v1\n'), after: image('v2 by the command\n') },
      { path: join(r.p.ws, 'touched.txt'), kind: 'modified', before: image('same\n'), after: image('same\n') },
    ];
    assert.deepEqual(await watch.finish(), { files: ['a.txt'], notes: ['stopped after 10,000 files'] });
    assert.deepEqual(r.bodies.map((b) => b.type === 'file.changed' ? [b.type, b.label, b.source, b.callId, b.turnId] : [b.type]), [
      ['file.changed', 'a.txt', 'command', 'c9', 't1'], ['changes.incomplete'],
    ]);
    // The session knows what the command left: an edit from it is not stale.
    const next = await files.update(a, (current) => ({ content: `${current.text!}more\n` }));
    assert.equal(next.ok, true);
  });
});
