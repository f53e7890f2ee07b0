// `npm test`: everything CI checks, in order, with one summary line at the end.
//   1. system prerequisites (Chromium, ripgrep, code-server build deps, bubblewrap) when missing
//   2. build, lint, type-check (each counts as one check)
//   3. unit + webview-component tests (node:test via tsx)
//   4. end-to-end tests in a real VS Code (code-server + Chromium), one file at a time
// Options: --only unit|webview|e2e|static   (several allowed)   --no-setup
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const only = args.flatMap((a, i) => (args[i - 1] === '--only' ? a.split(',') : []));
const wants = (k) => only.length === 0 || only.includes(k);
const results = [];

function run(label, cmd, cmdArgs, opts = {}) {
  console.log(`\n▶ ${label}: ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...opts.env } });
  return r.status === 0;
}

function findTests(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...findTests(full));
    else if (name.endsWith('.test.ts')) out.push(relative(root, full));
  }
  return out.sort();
}

/**
 * Runs node:test files, streaming the spec reporter live and counting from its summary lines
 * (`ℹ pass N` …). Counting from stdout, not a reporter file: --test-force-exit may end the
 * process before a file destination is flushed.
 */
async function nodeTests(label, files, concurrency, timeoutMs = 120_000) {
  if (files.length === 0) { console.log(`\n▶ ${label}: no test files`); return; }
  const argv = [
    // A hung test fails after its timeout instead of stalling CI; a leaked handle (a child
    // process a failed test did not stop) cannot keep the run alive after the last test.
    '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, `--test-timeout=${timeoutMs}`, '--test-force-exit',
    '--test-reporter=spec', ...files,
  ];
  console.log(`\n▶ ${label}: node ${argv.slice(0, 6).join(' ')} (${files.length} files)`);
  let out = '';
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.on('close', (c) => resolve(c ?? 1));
  });
  const num = (k) => Number((out.match(new RegExp(`^ℹ ${k} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  const passed = num('pass');
  const counted = num('fail') + num('cancelled');
  // A run that failed without counting a failure (crash, no summary) still counts as one.
  const failed = code !== 0 && counted === 0 ? 1 : counted;
  results.push({ label, passed, failed, skipped: num('skipped'), todo: num('todo') });
}

if (!args.includes('--no-setup') && (wants('unit') || wants('webview') || wants('e2e'))) {
  if (!run('setup', process.execPath, [join(root, 'scripts/ensure-system-deps.mjs')])) {
    results.push({ label: 'setup', passed: 0, failed: 1 });
  }
}

if (wants('static') || wants('webview') || wants('e2e')) {
  const ok = run('build', 'npm', ['run', '--silent', 'build']);
  results.push({ label: 'build', passed: ok ? 1 : 0, failed: ok ? 0 : 1 });
}
if (wants('static')) {
  for (const [label, script] of [['lint', 'lint'], ['typecheck', 'typecheck']]) {
    const ok = run(label, 'npm', ['run', '--silent', script]);
    results.push({ label, passed: ok ? 1 : 0, failed: ok ? 0 : 1 });
  }
}
if (wants('unit')) await nodeTests('unit', findTests(join(root, 'test/unit')), 3);
if (wants('webview')) await nodeTests('webview', findTests(join(root, 'test/webview')), 1);
if (wants('e2e')) {
  await nodeTests('e2e', findTests(join(root, 'test/e2e')), 1, 600_000);
  electronTests();
}

/** @vscode/test-electron suite: runs where a desktop VS Code exists, says clearly it skipped otherwise. */
function electronTests() {
  console.log('\n▶ electron: node test/e2e/electron/run.mjs');
  const r = spawnSync(process.execPath, [join(root, 'test/e2e/electron/run.mjs')], { cwd: root, encoding: 'utf8', env: process.env });
  process.stdout.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  const m = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/m.exec(r.stdout ?? '');
  const passed = Number(m?.[1] ?? 0);
  const reported = Number(m?.[2] ?? 0);
  // A non-zero exit with no failure counted (a crash before the summary) still counts as one failure.
  const failed = r.status !== 0 && reported === 0 ? 1 : reported;
  results.push({ label: 'electron', passed, failed, skipped: Number(m?.[3] ?? 0) });
}

console.log('\nSummary');
for (const r of results) console.log(`  ${r.label.padEnd(10)} ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}${r.todo ? `, ${r.todo} todo` : ''}`);
const passed = results.reduce((s, r) => s + r.passed, 0);
const failed = results.reduce((s, r) => s + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
