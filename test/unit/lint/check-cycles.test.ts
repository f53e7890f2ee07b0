import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCycles } from '../../../scripts/check-cycles.mjs';

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cycles-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

void describe('check-cycles (npm run lint)', () => {
  void test('a cycle through an `import type` edge counts; files outside it do not', async () => {
    const dir = await tree({
      'src/a.ts': "import type { B } from './b';\nexport const a = 1; export type A = B;\n",
      'src/b.ts': "import { a } from './a';\nexport type B = typeof a;\n",
      'src/c.ts': "import { a } from './a';\nexport const c = a;\n",
    });
    try {
      assert.deepEqual(await findCycles({ cwd: dir, globs: ['src/**/*.ts'] }), [['src/a.ts', 'src/b.ts']]);
    } finally { await rm(dir, { recursive: true, force: true }); }
  });

  void test('a longer cycle via a re-export is found; an acyclic tree has none', async () => {
    const dir = await tree({
      'src/x.ts': "export { y } from './y';\nexport const x = 1;\n",
      'src/y.ts': "import { z } from './sub/z';\nexport const y = z;\n",
      'src/sub/z.ts': "import type { x } from '../x';\nexport const z = 2; export type Z = typeof x;\n",
      'lib/p.ts': "import { q } from './q';\nexport const p = q;\n",
      'lib/q.ts': 'export const q = 1;\n',
    });
    try {
      assert.deepEqual(await findCycles({ cwd: dir, globs: ['src/**/*.ts'] }), [['src/sub/z.ts', 'src/x.ts', 'src/y.ts']]);
      assert.deepEqual(await findCycles({ cwd: dir, globs: ['lib/**/*.ts'] }), []);
    } finally { await rm(dir, { recursive: true, force: true }); }
  });

  void test('the protocol types and their runtime schemas form no cycle', async () => {
    const cycles = await findCycles();
    const protocol = cycles.filter((c) => c.some((f) => f.startsWith('src/shared/protocol')));
    assert.deepEqual(protocol, []);
  });
});
