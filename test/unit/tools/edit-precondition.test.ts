// The precondition of an edit: describe() records the state of the file its diff was computed
// from (a SHA-256 of its bytes, or "absent"); execute() with that precondition writes only while
// the file is still in that state. Real temp folders.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { makeCtx, tempDir } from './helpers';
import { createEditFileTool } from '../../../src/core/tools/edit-file';
import { createWriteFileTool } from '../../../src/core/tools/write-file';

const { dir, cleanup } = tempDir('agent-sessions-precondition-');
after(cleanup);
const ctx = makeCtx(dir);
const sha = (s: string): string => `sha256:${createHash('sha256').update(s).digest('hex')}`;

void describe('edit preconditions', () => {
  void test('describe() states the file the diff was computed from: its SHA-256, or absent', async () => {
    writeFileSync(path.join(dir, 'p.txt'), 'alpha\n');
    const edit = createEditFileTool();
    const d = await edit.describe({ path: 'p.txt', edits: [{ oldText: 'alpha', newText: 'beta' }] }, ctx);
    assert.equal(d.precondition, sha('alpha\n'));
    const write = createWriteFileTool();
    assert.equal((await write.describe({ path: 'none.txt', content: 'x' }, ctx)).precondition, 'absent');
    assert.equal((await write.describe({ path: 'p.txt', content: 'x' }, ctx)).precondition, sha('alpha\n'));
  });

  void test('edit_file: a file changed since describe() is not written; the same state is', async () => {
    const file = path.join(dir, 'e.txt');
    writeFileSync(file, 'one\ntwo\n');
    const edit = createEditFileTool();
    const args = { path: 'e.txt', edits: [{ oldText: 'two', newText: 'TWO' }] };
    const shown = (await edit.describe(args, ctx)).precondition!;
    writeFileSync(file, 'one\ntwo\nuser\n');
    const refused = await edit.execute(args, { ...ctx, precondition: { state: shown, approved: true } });
    assert.equal(refused.isError, true);
    assert.equal(refused.content, 'e.txt changed since the change was shown for approval; nothing was written. Read it again and redo the edit.');
    assert.equal(readFileSync(file, 'utf8'), 'one\ntwo\nuser\n');
    const again = (await edit.describe(args, ctx)).precondition!;
    const ok = await edit.execute(args, { ...ctx, precondition: { state: again, approved: false } });
    assert.equal(ok.isError, undefined, ok.content);
    assert.equal(readFileSync(file, 'utf8'), 'one\nTWO\nuser\n');
  });

  void test('write_file: a file that appeared since describe() said absent is not overwritten', async () => {
    const file = path.join(dir, 'late.txt');
    const write = createWriteFileTool();
    const args = { path: 'late.txt', content: 'model\n' };
    const shown = (await write.describe(args, ctx)).precondition!;
    writeFileSync(file, 'user\n');
    const refused = await write.execute(args, { ...ctx, precondition: { state: shown, approved: false } });
    assert.equal(refused.isError, true);
    assert.match(refused.content, /^late\.txt changed since the change was prepared; nothing was written/);
    assert.equal(readFileSync(file, 'utf8'), 'user\n');
  });

  void test('without a precondition (a direct call) the tools write as before', async () => {
    const write = createWriteFileTool();
    const r = await write.execute({ path: 'direct.txt', content: 'd\n' }, ctx);
    assert.match(r.content, /^Created direct\.txt/);
  });
});
