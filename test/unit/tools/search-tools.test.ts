import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createFindFilesTool } from '../../../src/core/tools/find-files';
import { createSearchTextTool } from '../../../src/core/tools/search-text';
import { findRipgrep } from '../../../src/core/tools/ripgrep';
import { makeCtx, tempDir } from './helpers';

void describe('find_files and search_text respect .gitignore', () => {
  const ws = tempDir('st-');
  const root = ws.dir;
  before(() => {
    const put = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    };
    put('.gitignore', 'dist/\n*.log\n');
    put('src/app.ts', 'const needle = 1;\n');
    put('src/util.ts', 'export const x = 2;\n// needle here too\n');
    put('src/.gitignore', 'generated.ts\n!keep.log\n');
    put('src/generated.ts', 'needle generated\n');
    put('src/keep.log', 'needle in a kept log\n');
    put('debug.log', 'needle in a log\n');
    put('dist/bundle.js', 'needle bundled\n');
    put('node_modules/pkg/index.js', 'needle dep\n');
    put('.git/config', 'needle git\n');
    put('bin.dat', 'needle\0binary');
    put('docs/a.md', 'Needle upper\n');
  });
  after(() => ws.cleanup());

  void test('find_files honours root and nested .gitignore, skips .git and node_modules', async () => {
    const r = await createFindFilesTool().execute({ pattern: '**/*' }, makeCtx(root));
    assert.deepEqual(r.content.split('\n').sort(), ['.gitignore', 'bin.dat', 'docs/a.md', 'src/.gitignore', 'src/app.ts', 'src/keep.log', 'src/util.ts']);
  });

  void test('find_files: basename patterns, sub-folder, includeIgnored and result cap', async () => {
    const tool = createFindFilesTool();
    assert.equal((await tool.execute({ pattern: '*.ts' }, makeCtx(root))).content, 'src/app.ts\nsrc/util.ts');
    assert.equal((await tool.execute({ pattern: '*.ts', path: 'src' }, makeCtx(root))).content, 'app.ts\nutil.ts');
    const all = await tool.execute({ pattern: '**/*.js', includeIgnored: true }, makeCtx(root));
    assert.equal(all.content, 'dist/bundle.js\nnode_modules/pkg/index.js');
    const capped = await tool.execute({ pattern: '**/*', maxResults: 2 }, makeCtx(root));
    assert.match(capped.content, /… 5 more files omitted \(7 matched\)/);
  });

  const expected = ['src/app.ts:1: const needle = 1;', 'src/keep.log:1: needle in a kept log', 'src/util.ts:2: // needle here too'];

  for (const backend of ['ripgrep', 'js'] as const) {
    void test(`search_text (${backend}) respects .gitignore and skips binaries, same output shape`, async (t) => {
      if (backend === 'ripgrep' && !(await findRipgrep([]))) { t.skip('no rg on PATH'); return; }
      const tool = createSearchTextTool({ disableRipgrep: backend === 'js' });
      const r = await tool.execute({ pattern: 'needle' }, makeCtx(root));
      assert.deepEqual(r.content.split('\n'), expected);
      const ci = await tool.execute({ pattern: 'NEEDLE', ignoreCase: true, glob: '*.md' }, makeCtx(root));
      assert.equal(ci.content, 'docs/a.md:1: Needle upper');
      const lit = await tool.execute({ pattern: 'needle = 1;', literal: true, path: 'src' }, makeCtx(root));
      assert.equal(lit.content, 'src/app.ts:1: const needle = 1;');
      const rx = await tool.execute({ pattern: 'ne+dle\\s(here|in)' }, makeCtx(root));
      assert.deepEqual(rx.content.split('\n'), expected.slice(1));
      const capped = await tool.execute({ pattern: 'needle', maxResults: 1 }, makeCtx(root));
      assert.deepEqual(capped.content.split('\n'), [expected[0], '… 2 more matching lines omitted; narrow the pattern, path or glob.']);
      const none = await tool.execute({ pattern: 'zzz_absent' }, makeCtx(root));
      assert.match(none.content, /No matches/);
      const ignored = await tool.execute({ pattern: 'needle bundled', includeIgnored: true }, makeCtx(root));
      assert.equal(ignored.content, 'dist/bundle.js:1: needle bundled');
    });
  }

  void test('search_text reports an invalid regex', async () => {
    const r = await createSearchTextTool({ disableRipgrep: true }).execute({ pattern: '(' }, makeCtx(root));
    assert.equal(r.isError, true);
    assert.match(r.content, /Invalid regular expression/);
  });

  void test('ripgrep candidates: first executable wins, missing ones are skipped', async () => {
    assert.equal(await findRipgrep(['/nonexistent/rg', '/usr/bin/rg'], false), '/usr/bin/rg');
    assert.equal(await findRipgrep(['/nonexistent/rg'], false), undefined);
  });
});
