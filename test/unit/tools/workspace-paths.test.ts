import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { resolveWorkspacePath } from '../../../src/core/tools/workspace-paths';
import { isAgentError } from '../../../src/core/base/errors';
import { createWriteFileTool } from '../../../src/core/tools/write-file';
import { makeCtx, tempDir } from './helpers';

void describe('workspace path resolution', () => {
  const ws = tempDir('wsp-');
  const out = tempDir('wsp-out-');
  const root = ws.dir;
  before(() => {
    mkdirSync(path.join(root, 'src/sub'), { recursive: true });
    writeFileSync(path.join(root, 'src/a.ts'), 'a');
    writeFileSync(path.join(out.dir, 'secret.txt'), 'secret');
    symlinkSync(out.dir, path.join(root, 'out-dir'));
    symlinkSync(path.join(out.dir, 'secret.txt'), path.join(root, 'secret-link'));
    symlinkSync(path.join(root, 'src/a.ts'), path.join(root, 'inner-link'));
    symlinkSync(path.join(root, 'loop-b'), path.join(root, 'loop-a'));
    symlinkSync(path.join(root, 'loop-a'), path.join(root, 'loop-b'));
    symlinkSync(path.join(out.dir, 'missing.txt'), path.join(root, 'dangling-out'));
  });
  after(() => { ws.cleanup(); out.cleanup(); });

  const refused = async (input: string, pattern: RegExp) => {
    await assert.rejects(resolveWorkspacePath(input, [root]), (e: unknown) => {
      assert.ok(isAgentError(e) && e.code === 'bad_request');
      assert.match((e as Error).message, pattern);
      return true;
    });
  };

  void test('relative path resolves with workspace-relative form', async () => {
    const r = await resolveWorkspacePath('src/./sub/../a.ts', [root]);
    assert.equal(r.absolute, path.join(root, 'src/a.ts'));
    assert.equal(r.relative, 'src/a.ts');
  });
  void test('not-yet-existing file inside resolves', async () => {
    const r = await resolveWorkspacePath('src/new/deep/file.ts', [root]);
    assert.equal(r.relative, 'src/new/deep/file.ts');
  });
  void test('.. escape is refused', () => refused('../etc/passwd', /leaves the workspace/));
  void test('.. escape through a sub-folder is refused', () => refused('src/../../x', /leaves the workspace/));
  void test('absolute path outside is refused', () => refused('/etc/passwd', /outside the workspace/));
  void test('absolute path inside is accepted', async () => {
    assert.equal((await resolveWorkspacePath(path.join(root, 'src/a.ts'), [root])).relative, 'src/a.ts');
  });
  void test('symlinked file pointing outside is refused', () => refused('secret-link', /symbolic link.*outside/));
  void test('new file under a symlinked dir pointing outside is refused', () => refused('out-dir/new.txt', /outside the workspace/));
  void test('dangling symlink to outside is refused', () => refused('dangling-out', /outside/));
  void test('symlink loop is refused', () => refused('loop-a', /loop/));
  void test('symlink staying inside is fine', async () => {
    assert.equal((await resolveWorkspacePath('inner-link', [root])).relative, 'src/a.ts');
  });
  void test('second workspace root accepts absolute paths under it', async () => {
    const r = await resolveWorkspacePath(path.join(out.dir, 'secret.txt'), [root, out.dir]);
    assert.equal(r.root, out.dir);
    assert.equal(r.relative, 'secret.txt');
  });
  void test('write_file through a symlinked dir is refused and writes nothing outside', async () => {
    const tool = createWriteFileTool();
    const r = await tool.execute({ path: 'out-dir/pwned.txt', content: 'x' }, makeCtx(root));
    assert.equal(r.isError, true);
    assert.match(r.content, /outside the workspace/);
    const { existsSync } = await import('node:fs');
    assert.equal(existsSync(path.join(out.dir, 'pwned.txt')), false);
  });
});
