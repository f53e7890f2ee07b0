// `npm run package` rules, checked on a staged copy of the repo's packaging inputs (real
// package.json, .vscodeignore, README, CHANGELOG, LICENSE, media/) plus stand-in build output,
// so it runs whether or not the extension host is built: the VSIX holds exactly what ships.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageVsix } from '../../scripts/package.mjs';
import { repoRoot } from './harness';

void test('the VSIX holds dist bundles, media, manifest, README, CHANGELOG and LICENSE only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-sessions-pkg-'));
  try {
    for (const f of ['package.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE']) cpSync(join(repoRoot, f), join(dir, f));
    cpSync(join(repoRoot, 'media'), join(dir, 'media'), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
    // Until the extension host's manifest fields land, vsce needs activationEvents next to main.
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    pkg.activationEvents ??= [];
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
    const stand = (rel: string, text = '// built\n') => { mkdirSync(join(dir, rel, '..'), { recursive: true }); writeFileSync(join(dir, rel), text); };
    for (const f of ['dist/extension.js', 'dist/extension.js.map', 'dist/webview.js', 'dist/vendor/openai.js', 'dist/codicon.css', 'src/vscode/extension.ts', 'test/unit/a.test.ts', 'tsconfig.json']) stand(f);
    stand('dist/sizes.json', JSON.stringify({ 'dist/extension.js': 9 }));

    const r = packageVsix({ root: dir, build: false, quiet: true });
    const names = r.files.map((f) => f.name.replace(/^extension\//, '')).sort();
    assert.deepEqual(names, [
      'LICENSE.txt', 'changelog.md', 'dist/codicon.css', 'dist/extension.js', 'dist/vendor/openai.js', 'dist/webview.js',
      'media/activity.svg', 'media/icon.png', 'package.json', 'readme.md',
    ]);
    assert.ok(r.size < 64 * 1024, `stand-in VSIX is small (${r.size} bytes)`);
    assert.deepEqual(r.bundles, { 'dist/extension.js': 9 });
    // The icon is a real 128×128 PNG.
    const png = readFileSync(join(repoRoot, 'media/icon.png'));
    assert.equal(png.toString('latin1', 1, 4), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
