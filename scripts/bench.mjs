// `npm run bench [-- --quick] [-- --only B1,B3]`: builds dist/ first (B5 and B7 measure the real
// bundles, so a stale build would be measured otherwise), then runs bench/run.ts with tsx. Benchmarks print figures; they never fail
// on slowness (exit code 0 unless a case crashes).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

const b = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
if (b.status !== 0 || !existsSync(join(root, 'dist/extension.js'))) console.error('build failed: B5/B7 will report what they could not measure');

const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(root, 'bench/run.ts'), ...args], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
