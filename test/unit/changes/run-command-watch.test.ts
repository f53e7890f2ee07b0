import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createRunCommandTool } from '../../../src/core/tools/run-command';
import { createWorkspaceWatcher } from '../../../src/core/changes/workspace-watch';
import { isAgentError } from '../../../src/core/base/errors';
import type { CommandWatch, ScannedChange, SessionFiles } from '../../../src/core/changes/types';
import { makeCtx } from '../tools/helpers';
import { MemoryBlobStore, gitRepo, tempFolder } from './scan-helpers';

/**
 * A SessionFiles reduced to what run_command uses: watchCommand scans with the real watcher into
 * a memory blob store and keeps what each command changed (the real one records `file.changed`).
 */
class WatchingFiles implements SessionFiles {
  readonly blobs = new MemoryBlobStore();
  readonly recorded: ScannedChange[][] = [];
  readonly notes: string[][] = [];
  constructor(private readonly roots: string[], private readonly fail?: 'begin' | 'finish') {}

  noteSeen(): void { throw new Error('not used by run_command'); }
  update(): never { throw new Error('not used by run_command'); }
  remove(): never { throw new Error('not used by run_command'); }
  move(): never { throw new Error('not used by run_command'); }

  async watchCommand(): Promise<CommandWatch> {
    if (this.fail === 'begin') throw new Error('no watcher today');
    const watch = await createWorkspaceWatcher().begin({ roots: this.roots, blobs: this.blobs, known: () => undefined });
    return {
      finish: async () => {
        if (this.fail === 'finish') throw new Error('the ledger is closed');
        const { changes, notes } = await watch.finish();
        this.recorded.push(changes);
        this.notes.push(notes);
        return { files: changes.map((c) => path.relative(this.roots[0]!, c.path).split(path.sep).join('/')), notes };
      },
    };
  }
}

void describe('run_command with the change ledger', () => {
  const ws = tempFolder('rc-watch-');
  after(() => ws.cleanup());

  void test('records what the command changed and names it in the result', async () => {
    const root = path.join(ws.dir, 'named');
    mkdirSync(root);
    gitRepo(root, { 'a.txt': 'one\n', 'gone.txt': 'bye\n' });
    const files = new WatchingFiles([root]);
    const ctx = { ...makeCtx(root), files };
    const r = await createRunCommandTool().execute({ command: 'echo two >> a.txt; rm gone.txt; echo hi > new.txt' }, ctx);
    assert.equal(r.isError, false);
    assert.match(r.content, /\n\nFiles changed by the command: a\.txt, gone\.txt, new\.txt\.$/);
    const kinds = files.recorded[0]!.map((c) => `${c.kind} ${path.basename(c.path)}`);
    assert.deepEqual(kinds, ['modified a.txt', 'deleted gone.txt', 'created new.txt']);
    assert.equal(files.blobs.text(files.recorded[0]![1]!.before), 'bye\n');
  });

  void test('caps the list at 20 names and counts the rest; a quiet command adds nothing', async () => {
    const root = path.join(ws.dir, 'many');
    mkdirSync(root);
    gitRepo(root, { 'keep.txt': 'k\n' });
    const files = new WatchingFiles([root]);
    const r = await createRunCommandTool().execute({ command: 'for i in $(seq 10 34); do echo $i > f$i.txt; done' }, { ...makeCtx(root), files });
    assert.match(r.content, /Files changed by the command: f10\.txt, f11\.txt, .*, f29\.txt and 5 more\.$/);
    assert.equal(files.recorded[0]!.length, 25);
    const quiet = await createRunCommandTool().execute({ command: 'cat keep.txt' }, { ...makeCtx(root), files });
    assert.equal(quiet.content.includes('Files changed'), false);
    assert.equal(quiet.content.includes('Not captured'), false);
  });

  void test('finishes the watch after a cancel: the killed command\'s changes are recorded', async () => {
    const root = path.join(ws.dir, 'cancel');
    mkdirSync(root);
    gitRepo(root, { 'a.txt': 'a\n' });
    const files = new WatchingFiles([root]);
    const ac = new AbortController();
    const run = createRunCommandTool({ killGraceMs: 100 }).execute({ command: 'echo half > a.txt; echo started > flag; sleep 30' }, { ...makeCtx(root, ac.signal), files });
    while (!existsSync(path.join(root, 'flag'))) await new Promise((r) => setTimeout(r, 20));
    ac.abort();
    await assert.rejects(run, (e) => isAgentError(e) && e.code === 'cancelled');
    assert.equal(readFileSync(path.join(root, 'a.txt'), 'utf8'), 'half\n');
    assert.deepEqual(files.recorded[0]!.map((c) => `${c.kind} ${path.basename(c.path)}`), ['modified a.txt', 'created flag']);
  });

  void test('a command that cannot start still finishes the watch; a failing ledger never fails the command', async () => {
    const root = path.join(ws.dir, 'fail');
    mkdirSync(root);
    gitRepo(root, { 'a.txt': 'a\n' });
    const files = new WatchingFiles([root]);
    const r = await createRunCommandTool({ shell: '/nonexistent/shell' }).execute({ command: 'true' }, { ...makeCtx(root), files });
    assert.match(r.content, /^Could not start the command/);
    assert.equal(files.recorded.length, 1);

    const begin = await createRunCommandTool().execute({ command: 'echo b > a.txt' }, { ...makeCtx(root), files: new WatchingFiles([root], 'begin') });
    assert.match(begin.content, /^Exit code 0 .*\n\nFile changes made by this command were not tracked \(no watcher today\)\.$/s);
    const finish = await createRunCommandTool().execute({ command: 'echo c > a.txt' }, { ...makeCtx(root), files: new WatchingFiles([root], 'finish') });
    assert.match(finish.content, /\n\nFile changes made by this command could not be recorded \(the ledger is closed\)\.$/);
    assert.equal(readFileSync(path.join(root, 'a.txt'), 'utf8'), 'c\n');
  });

  void test('names what could not be captured', async () => {
    const root = path.join(ws.dir, 'plain');
    mkdirSync(root);
    const files = new WatchingFiles([root]);
    const r = await createRunCommandTool().execute({ command: 'echo x > a.txt' }, { ...makeCtx(root), files });
    assert.match(r.content, /Files changed by the command: a\.txt\.$/);
    const r2 = await createRunCommandTool().execute({ command: 'echo z > a.txt' }, { ...makeCtx(root), files });
    assert.match(r2.content, /Files changed by the command: a\.txt\.\nNot captured: 1 file changed by the command had not been read before it; its earlier content is unknown\.$/);
  });
});
