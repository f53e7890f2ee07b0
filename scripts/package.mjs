// `npm run package`: build, then `vsce package --no-dependencies` (esbuild bundles everything)
// into dist/agent-sessions-<version>.vsix, and print the VSIX's size, its files and each bundle's
// size (dist/sizes.json is written by the build). Options: --no-build.
// Exports packageVsix({ root, build }) for `npm start` and the end-to-end tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

/** Names and uncompressed sizes of the entries of a zip file (reads its central directory). */
export function zipEntries(file) {
  const buf = readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
    out.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), size });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/**
 * Builds (unless build is false) and packages the extension in `root`.
 * @param {{ root?: string, build?: boolean, quiet?: boolean }} [o]
 * @returns {{ vsix: string, size: number, files: { name: string, size: number }[], bundles: Record<string, number> }}
 */
export function packageVsix(o = {}) {
  const root = o.root ?? repo;
  const say = o.quiet ? () => {} : (m) => console.log(m);
  const stdio = o.quiet ? 'pipe' : 'inherit';
  if (o.build !== false) {
    const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`npm run build failed${o.quiet ? `:\n${b.stdout}\n${b.stderr}` : ' (see above)'}`);
  }
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const main = join(root, pkg.main ?? 'dist/extension.js');
  if (!existsSync(main)) throw new Error(`${relative(root, main)} was not built: is src/vscode/extension.ts there?`);
  const vsix = join(root, 'dist', `${pkg.name}-${pkg.version}.vsix`);
  const args = [join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--out', vsix];
  // vsce refuses to package without a repository field unless told; until package.json has
  // one (the Marketplace wants it, for README links), say so and package anyway.
  if (!pkg.repository) {
    say('note: package.json has no "repository" field; packaging with --allow-missing-repository');
    args.push('--allow-missing-repository');
  }
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(vsix)) throw new Error(`vsce package failed:\n${r.stdout}\n${r.stderr}`);
  const files = zipEntries(vsix).filter((e) => e.name.startsWith('extension/'));
  const sizesFile = join(root, 'dist/sizes.json');
  const bundles = existsSync(sizesFile) ? JSON.parse(readFileSync(sizesFile, 'utf8')) : {};
  const size = statSync(vsix).size;
  const report = { vsix: relative(root, vsix), size, files, bundles };
  writeFileSync(join(root, 'dist/package-report.json'), JSON.stringify(report, null, 2));
  say(`\n${relative(root, vsix)}: ${kib(size)} (${files.length} files)`);
  for (const f of files) say(`  ${f.name.replace(/^extension\//, '').padEnd(40)} ${kib(f.size).padStart(11)}`);
  if (Object.keys(bundles).length) {
    say('bundles:');
    for (const [name, s] of Object.entries(bundles)) say(`  ${name.padEnd(40)} ${kib(s).padStart(11)}`);
  }
  return { vsix, size, files, bundles };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    packageVsix({ build: !process.argv.includes('--no-build') });
  } catch (e) {
    console.error(`package: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
