/**
 * Checkpoint restores through the real manager (`manager.changes`): files only, conversation only,
 * both; conflicts, created and deleted files, damaged blobs, symbolic links swapped in, a turn
 * running, a read-only session; in a plain folder and in a git work tree.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { script, startFakeLlm, type FakeLlm } from '../../fake-llm';
import { AgentError } from '../../../src/core/base/errors';
import { blobFile, conversationOf } from './restore-harness';
import { git, makeWorld, type World } from './world';
import { sha256 } from '../../../src/core/changes/blob-store';

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); });

const code = (c: string) => (e: unknown): boolean => e instanceof AgentError && e.code === c;

/** The conversation the model got with the latest request. */
function lastConversation(): string[] {
  const req = fake.requests.at(-1);
  assert.ok(req, 'a request was made');
  return conversationOf(req);
}

async function withWorld(options: { git?: boolean }, fn: (w: World) => Promise<void>): Promise<void> {
  const w = await makeWorld(fake, options);
  try { await fn(w); } finally { await w.close(); }
}

void describe('checkpoint restore', () => {
  for (const inGit of [false, true]) {
    void test(`files only (${inGit ? 'git work tree' : 'plain folder'}): every file goes back to before the message; created files go, deleted ones come back; the conversation stays`, async () => {
      await withWorld({ git: inGit }, async (w) => {
        const preview = await w.h.manager.changes.preview(w.sid, w.first, 'files');
        const byLabel = new Map(preview.files.map((f) => [f.label, f]));
        assert.deepEqual([...byLabel.keys()].sort(), ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'sub/e.txt']);
        assert.equal(byLabel.get('a.txt')?.action, 'delete');
        assert.equal(byLabel.get('c.txt')?.action, 'recreate');
        assert.equal(byLabel.get('b.txt')?.action, 'revert');
        assert.deepEqual([byLabel.get('b.txt')?.added, byLabel.get('b.txt')?.removed], [1, 1]);
        assert.deepEqual([byLabel.get('d.txt')?.added, byLabel.get('d.txt')?.removed], [0, 1]);
        assert.ok(preview.files.every((f) => !f.conflict && !f.unrestorable));
        assert.equal(preview.rewoundRecords, 0);

        const result = await w.h.manager.changes.restore(w.sid, w.first, 'files');
        assert.equal(result.restored.length, 5);
        assert.deepEqual(result.skipped, []);
        assert.equal(result.rewound, false);
        assert.deepEqual(
          [await w.read('a.txt'), await w.read('b.txt'), await w.read('c.txt'), await w.read('d.txt'), await w.read('sub/e.txt')],
          [undefined, 'b0\n', 'c0\n', undefined, 'e0\n'],
        );
        if (inGit) assert.equal(git(w.ws, 'status', '--porcelain'), '', 'the work tree is as committed');
        const snap = w.h.manager.get(w.sid)!;
        assert.deepEqual(snap.changes, [], 'nothing is left changed');
        assert.ok(w.session.data.records.every((r) => r.rewound === undefined));
        const marker = w.session.data.records.at(-1);
        assert.ok(marker?.kind === 'marker' && marker.variant === 'restore' && marker.restoreId === result.restoreId);
        assert.match(marker.text, /Restored the checkpoint \(files\): 5 file\(s\) put back/);
        const events = w.h.of(w.sid).filter((e) => e.type === 'file.changed' && e.source === 'restore');
        assert.equal(events.length, 5);
        assert.ok(events.every((e) => e.type === 'file.changed' && e.restoreId === result.restoreId));

        await w.say('third');
        assert.deepEqual(lastConversation(), ['user: first', 'assistant: re: first', 'user: second', 'assistant: re: second', 'user: third']);
      });
    });
  }

  void test('conversation only: the next request carries the history before that message; files stay', async () => {
    await withWorld({}, async (w) => {
      const preview = await w.h.manager.changes.preview(w.sid, w.second, 'conversation');
      assert.deepEqual(preview.files, []);
      assert.equal(preview.rewoundRecords, 2, 'the message and its answer');
      const result = await w.h.manager.changes.restore(w.sid, w.second, 'conversation');
      assert.equal(result.rewound, true);
      assert.deepEqual([await w.read('a.txt'), await w.read('d.txt')], ['a2\n', 'd2\n']);
      const rewound = w.session.data.records.filter((r) => r.rewound === result.restoreId).map((r) => r.kind);
      assert.deepEqual(rewound, ['user', 'assistant']);
      await w.say('again');
      assert.deepEqual(lastConversation(), ['user: first', 'assistant: re: first', 'user: again']);
    });
  });

  void test('a compaction between turns is a checkpoint: restoring it brings back the history as it was before it', async () => {
    await withWorld({}, async (w) => {
      await w.say('third');
      await w.say('fourth');
      await w.h.manager.compact(w.sid);
      const marker = w.session.data.records.find((r) => r.kind === 'marker' && r.variant === 'compacted');
      assert.ok(marker);
      await w.say('after compaction');
      assert.ok(!lastConversation().includes('user: second'), 'compacted away');
      const preview = await w.h.manager.changes.preview(w.sid, marker.key, 'conversation');
      assert.equal(preview.seq, marker.seq);
      await w.h.manager.changes.restore(w.sid, marker.key, 'conversation');
      await w.say('back');
      assert.deepEqual(lastConversation(), [
        'user: first', 'assistant: re: first', 'user: second', 'assistant: re: second',
        'user: third', 'assistant: re: third', 'user: fourth', 'assistant: re: fourth', 'user: back',
      ]);
    });
  });

  void test('both: files and conversation go back to before the message', async () => {
    await withWorld({}, async (w) => {
      const preview = await w.h.manager.changes.preview(w.sid, w.second, 'both');
      assert.deepEqual(preview.files.map((f) => [f.label, f.action]).sort(), [['a.txt', 'revert'], ['d.txt', 'delete']]);
      const result = await w.h.manager.changes.restore(w.sid, w.second, 'both');
      assert.equal(result.rewound, true);
      assert.deepEqual([await w.read('a.txt'), await w.read('d.txt'), await w.read('b.txt')], ['a1\n', undefined, 'b1\n']);
      const meterAt = w.h.of(w.sid).find((e) => e.type === 'conversation.rewound');
      assert.ok(meterAt?.type === 'conversation.rewound');
      assert.deepEqual(w.session.data.meter, meterAt.meter);
      await w.say('instead');
      assert.deepEqual(lastConversation(), ['user: first', 'assistant: re: first', 'user: instead']);
      // The rewound records stay in the transcript, marked.
      assert.ok(w.session.data.records.some((r) => r.kind === 'user' && r.text === 'second' && r.rewound === result.restoreId));
    });
  });

  void test("a file someone else changed is flagged, and survives the restore unless the user chose to overwrite it", async () => {
    await withWorld({}, async (w) => {
      await fs.writeFile(w.p('a.txt'), 'mine\n');
      const preview = await w.h.manager.changes.preview(w.sid, w.second, 'files');
      const a = preview.files.find((f) => f.label === 'a.txt');
      assert.match(a?.conflict ?? '', /changed since this session last changed it/);
      assert.equal(preview.files.find((f) => f.label === 'd.txt')?.conflict, undefined);
      const kept = await w.h.manager.changes.restore(w.sid, w.second, 'files');
      assert.deepEqual(kept.skipped.map((s) => s.path), [w.p('a.txt')]);
      assert.equal(await w.read('a.txt'), 'mine\n', "the user's change survived");
      assert.equal(await w.read('d.txt'), undefined);
      const skippedEv = w.h.of(w.sid).find((e) => e.type === 'restore.file_skipped');
      assert.ok(skippedEv?.type === 'restore.file_skipped' && skippedEv.path === w.p('a.txt'));

      const forced = await w.h.manager.changes.restore(w.sid, w.second, 'files', { overwrite: [w.p('a.txt')] });
      assert.deepEqual(forced.restored, [w.p('a.txt')]);
      assert.equal(await w.read('a.txt'), 'a1\n');
      const started = w.h.of(w.sid).filter((e) => e.type === 'restore.started').at(-1);
      assert.ok(started?.type === 'restore.started' && started.files[0].overwrite === true);
    });
  });

  void test('a damaged blob: that file is unrestorable in the preview and skipped; the rest is restored', async () => {
    await withWorld({}, async (w) => {
      const file = await blobFile(w.changesDir, w.sid, sha256(Buffer.from('b0\n')));
      const bytes = await fs.readFile(file);
      bytes[0] ^= 0xff;
      await fs.writeFile(file, bytes);
      const preview = await w.h.manager.changes.preview(w.sid, w.first, 'files');
      assert.match(preview.files.find((f) => f.label === 'b.txt')?.unrestorable ?? '', /damaged/);
      const result = await w.h.manager.changes.restore(w.sid, w.first, 'files');
      assert.deepEqual(result.skipped.map((s) => s.path), [w.p('b.txt')]);
      assert.match(result.skipped[0].reason, /its earlier content is damaged/);
      assert.equal(await w.read('b.txt'), 'b1\n', 'never written with damaged bytes');
      assert.deepEqual([await w.read('a.txt'), await w.read('c.txt'), await w.read('sub/e.txt')], [undefined, 'c0\n', 'e0\n']);
    });
  });

  void test('a symbolic link swapped in (for a folder, or the file itself) is refused, never followed out of the workspace', async () => {
    await withWorld({}, async (w) => {
      const outside = join(w.dir, 'outside');
      await fs.mkdir(outside);
      await fs.writeFile(join(outside, 'e.txt'), 'e1\n');
      await fs.writeFile(join(outside, 'b.txt'), 'b1\n');
      await fs.rm(w.p('sub'), { recursive: true });
      await fs.symlink(outside, w.p('sub'));
      await fs.rm(w.p('b.txt'));
      await fs.symlink(join(outside, 'b.txt'), w.p('b.txt'));
      const preview = await w.h.manager.changes.preview(w.sid, w.first, 'files');
      assert.match(preview.files.find((f) => f.label === 'sub/e.txt')?.unrestorable ?? '', /symbolic link/);
      const result = await w.h.manager.changes.restore(w.sid, w.first, 'files', { overwrite: [w.p('sub/e.txt'), w.p('b.txt')] });
      assert.deepEqual(result.skipped.map((s) => s.path).sort(), [w.p('b.txt'), w.p('sub/e.txt')]);
      assert.ok(result.skipped.every((s) => /symbolic link/.test(s.reason)));
      assert.equal(await fs.readFile(join(outside, 'e.txt'), 'utf8'), 'e1\n', 'the file outside is untouched');
      assert.equal(await fs.readFile(join(outside, 'b.txt'), 'utf8'), 'b1\n');
      assert.ok((await fs.lstat(w.p('b.txt'))).isSymbolicLink(), 'the link was left alone');
      assert.deepEqual([await w.read('a.txt'), await w.read('c.txt')], [undefined, 'c0\n']);
    });
  });

  void test('refused while a turn runs (invalid_state) and while read-only (read_only); nothing is recorded', async () => {
    await withWorld({}, async (w) => {
      fake.enqueue(script.stall());
      await w.h.manager.send(w.sid, 'slow');
      await fake.waitForRequests(3);
      const count = w.h.of(w.sid).length;
      await assert.rejects(w.h.manager.changes.restore(w.sid, w.first, 'both'), code('invalid_state'));
      await assert.rejects(w.h.manager.changes.preview(w.sid, w.first, 'both'), code('invalid_state'));
      assert.equal(w.h.of(w.sid).filter((e) => e.type.startsWith('restore.')).length, 0);
      assert.ok(w.h.of(w.sid).length >= count);
      await w.h.manager.cancel(w.sid);
      w.session.readOnlyBy = { pid: 1, host: 'elsewhere', since: 0 } as unknown as NonNullable<typeof w.session.readOnlyBy>;
      await assert.rejects(w.h.manager.changes.restore(w.sid, w.first, 'files'), code('read_only'));
      w.session.readOnlyBy = undefined;
      assert.equal(await w.read('a.txt'), 'a2\n');
    });
  });

  void test('a key that is no checkpoint is a bad_request', async () => {
    await withWorld({}, async (w) => {
      const answer = w.session.data.records.find((r) => r.kind === 'assistant')!;
      await assert.rejects(w.h.manager.changes.preview(w.sid, answer.key, 'files'), code('bad_request'));
      await assert.rejects(w.h.manager.changes.preview(w.sid, 'no-such-key', 'files'), code('bad_request'));
      await assert.rejects(w.h.manager.changes.preview(w.sid, w.first, 'sideways' as 'files'), code('bad_request'));
    });
  });
});
