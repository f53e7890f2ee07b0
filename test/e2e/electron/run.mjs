// Integration tests inside a desktop VS Code (Electron) with @vscode/test-electron, for machines
// that have one. These machines reach no VS Code download, so by default it uses an installed
// VS Code and says clearly that it skipped when there is none:
//   VSCODE_EXECUTABLE=/path/to/code-binary   use that Electron binary
//   a desktop `code` on PATH                 its binary is found next to the CLI script
//   AGENT_SESSIONS_DOWNLOAD_VSCODE=1         let test-electron download VS Code (needs internet)
// Runs suite/index.cjs in the extension host against the built extension and playground/.
// Prints "N passed, N failed" (or "0 passed, 0 failed, 1 skipped") and exits non-zero on failure.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync, mkdtempSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');

/** The desktop VS Code binary, or undefined. */
function findVsCode() {
  if (process.env.VSCODE_EXECUTABLE) return process.env.VSCODE_EXECUTABLE;
  const which = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' });
  const cli = which.status === 0 ? which.stdout.trim() : '';
  if (!cli) return undefined;
  const version = spawnSync(cli, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0 || /code-server/i.test(version.stdout)) return undefined;
  const real = realpathSync(cli);
  // Linux: <install>/bin/code → <install>/code; macOS: …/Contents/Resources/app/bin/code → …/Contents/MacOS/Electron (or Code).
  const candidates = [
    join(dirname(real), '..', 'code'),
    join(dirname(real), '..', '..', '..', 'MacOS', 'Electron'),
    join(dirname(real), '..', '..', '..', 'MacOS', 'Code'),
    join(dirname(real), '..', '..', '..', 'Code.exe'),
  ];
  return candidates.find((c) => existsSync(c));
}

function skip(reason) {
  console.log(`SKIPPED @vscode/test-electron integration tests: ${reason}`);
  console.log('0 passed, 0 failed, 1 skipped');
  process.exit(0);
}

const executable = findVsCode();
const download = process.env.AGENT_SESSIONS_DOWNLOAD_VSCODE === '1';
if (!executable && !download) skip('no desktop VS Code here (set VSCODE_EXECUTABLE, put `code` on PATH, or AGENT_SESSIONS_DOWNLOAD_VSCODE=1 with internet)');
if (!existsSync(join(root, 'dist/extension.js'))) {
  console.error('dist/extension.js is missing: run `npm run build` first.');
  process.exit(1);
}

const { runTests } = await import('@vscode/test-electron');
const work = mkdtempSync(join(tmpdir(), 'agent-sessions-electron-'));
const workspace = join(work, 'workspace');
cpSync(join(root, 'playground'), workspace, { recursive: true });
try {
  await runTests({
    ...(executable ? { vscodeExecutablePath: executable } : {}),
    extensionDevelopmentPath: root,
    extensionTestsPath: join(here, 'suite/index.cjs'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${join(work, 'user-data')}`, '--skip-welcome', '--skip-release-notes'],
    extensionTestsEnv: { AGENT_SESSIONS_REPO: root },
  });
} catch (e) {
  console.error(`integration tests failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
