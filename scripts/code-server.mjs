// A real VS Code on machines that reach only npm and Debian: code-server (VS Code 1.100.3 in the
// browser, with the real Node extension host), installed once into a cache folder following
// ../shared/design/REAL-VSCODE.md. Used by `npm start` and the end-to-end tests.
//
//   node scripts/code-server.mjs            install (or reuse) and print where it is
//
// Exports: ensureCodeServer(), installExtension(vsix, dirs), serve(options), freePort(),
// killTree(pid), cacheRoot().
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync, symlinkSync, openSync, closeSync, readdirSync, lstatSync, unlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const NATIVE_MODULES = ['node-pty', '@parcel/watcher', '@vscode/spdlog', 'native-watchdog', 'kerberos', '@vscode/deviceid'];

/** The cache folder: env AGENT_SESSIONS_CACHE, else `<repo>/.cache` (gitignored). */
export function cacheRoot() {
  return process.env.AGENT_SESSIONS_CACHE || join(root, '.cache');
}

/** Where code-server of the pinned version lives. */
export function codeServerDir() {
  return join(cacheRoot(), 'code-server', CODE_SERVER_VERSION);
}

/** The code-server entry script (run it with this Node). */
export function codeServerEntry() {
  return join(codeServerDir(), 'node_modules/code-server/out/node/entry.js');
}

/** code-server's own config file, kept in the cache so it never writes to ~/.config. */
function configFile() {
  return join(cacheRoot(), 'code-server', 'config.yaml');
}

const log = (msg) => console.log(`[code-server] ${msg}`);

class InstallError extends Error {}

/** Runs one install step, its output into the install log; throws with the log's tail on failure. */
function step(label, cmd, args, cwd, logFile, env = {}) {
  const started = Date.now();
  log(`${label}…`);
  const fd = openSync(logFile, 'a');
  writeFileSync(fd, `\n$ (cd ${cwd} && ${cmd} ${args.join(' ')})\n`);
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', fd, fd], env: { ...process.env, npm_config_yes: 'true', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false', ...env } });
  closeSync(fd);
  if (r.status !== 0) {
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
    throw new InstallError(`step "${label}" failed (exit ${r.status ?? r.signal ?? r.error?.message}).\n--- last lines of ${logFile} ---\n${tail}`);
  }
  log(`${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function link(target, path) {
  try { if (lstatSync(path)) unlinkSync(path); } catch { /* nothing to replace */ }
  symlinkSync(target, path);
}

function pidAlive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** One installer at a time across processes: a lock file holding the installer's pid. */
async function withLock(lockFile, fn) {
  for (;;) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      const holder = Number(readFileSync(lockFile, 'utf8')) || 0;
      if (!holder || !pidAlive(holder)) { rmSync(lockFile, { force: true }); continue; }
      log(`waiting for another install (pid ${holder})…`);
      await waitFor(() => !pidAlive(holder) || !existsSync(lockFile), 15 * 60_000, 'the other code-server install');
    }
  }
  try { return await fn(); } finally { rmSync(lockFile, { force: true }); }
}

/**
 * Installs code-server once (a marker file records the version; later calls return at once).
 * Needs the Debian packages of scripts/ensure-system-deps.mjs, which it runs first.
 * @returns {{ dir: string, entry: string, installedNow: boolean, seconds: number }}
 */
export async function ensureCodeServer() {
  const started = Date.now();
  const dir = codeServerDir();
  const marker = join(dir, '.installed');
  const done = () => existsSync(marker) && readFileSync(marker, 'utf8').trim() === CODE_SERVER_VERSION;
  if (done()) return { dir, entry: codeServerEntry(), installedNow: false, seconds: (Date.now() - started) / 1000 };
  if (process.platform !== 'linux') throw new InstallError(`code-server install is scripted for Linux only (this is ${process.platform}).`);
  mkdirSync(dirname(dir), { recursive: true });
  return withLock(`${dir}.lock`, async () => {
    if (done()) return { dir, entry: codeServerEntry(), installedNow: false, seconds: (Date.now() - started) / 1000 };
    const deps = spawnSync(process.execPath, [join(root, 'scripts/ensure-system-deps.mjs')], { stdio: 'inherit' });
    if (deps.status !== 0) throw new InstallError('the Debian packages code-server needs are missing (see above).');
    log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (once, about 3 minutes)`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // Its own package.json, so npm installs here and not into the repository's node_modules.
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'agent-sessions-code-server', private: true }, null, 2));
    const logFile = join(dir, 'install.log');
    // Its postinstall downloads ripgrep from GitHub, which these machines cannot reach: skip
    // the scripts and do their work by hand below.
    step('npm install code-server', 'npm', ['install', '--ignore-scripts', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], dir, logFile);
    const vscode = join(dir, 'node_modules/code-server/lib/vscode');
    if (!existsSync(vscode)) throw new InstallError(`unexpected code-server layout: ${vscode} is missing`);
    step('npm install lib/vscode (production)', 'npm', ['install', '--omit=dev', '--ignore-scripts', '--no-package-lock'], vscode, logFile);
    mkdirSync(join(vscode, 'node_modules/@vscode/ripgrep/bin'), { recursive: true });
    link('/usr/bin/rg', join(vscode, 'node_modules/@vscode/ripgrep/bin/rg'));
    step('rebuild native modules', 'npm', ['rebuild', ...NATIVE_MODULES], vscode, logFile);
    link('node_modules', join(vscode, 'node_modules.asar'));
    link('code-linux.sh', join(vscode, 'bin/remote-cli/code-server'));
    link('browser-linux.sh', join(vscode, 'bin/helpers/browser.sh'));
    step('npm install built-in extensions', 'npm', ['install', '--omit=dev', '--ignore-scripts', '--no-package-lock'], join(vscode, 'extensions'), logFile);
    step('rebuild argon2', 'npm', ['rebuild', 'argon2'], dir, logFile);
    const version = spawnSync(process.execPath, [codeServerEntry(), '--config', configFile(), '--version'], { encoding: 'utf8' });
    if (version.status !== 0) throw new InstallError(`code-server does not start after install:\n${version.stderr}`);
    writeFileSync(marker, `${CODE_SERVER_VERSION}\n`);
    const seconds = (Date.now() - started) / 1000;
    const line = version.stdout.split('\n').find((l) => /^\d/.test(l)) ?? version.stdout.trim();
    log(`installed (${line}) in ${seconds.toFixed(0)} s`);
    return { dir, entry: codeServerEntry(), installedNow: true, seconds };
  });
}

/**
 * Installs a VSIX (or a gallery id) into the given user-data and extensions folders.
 * @param {string} vsix
 * @param {{ userDataDir: string, extensionsDir: string }} dirs
 */
export function installExtension(vsix, dirs) {
  mkdirSync(dirs.userDataDir, { recursive: true });
  mkdirSync(dirs.extensionsDir, { recursive: true });
  const r = spawnSync(process.execPath, [codeServerEntry(), '--config', configFile(), '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir, '--install-extension', vsix, '--force'], { encoding: 'utf8' });
  if (r.status !== 0 || /Failed|error/i.test(r.stderr)) {
    throw new Error(`installing ${vsix} into code-server failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout.trim();
}

/** A free TCP port on 127.0.0.1 (ask the OS, then release it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `check` (every 100 ms) until it returns truthy; rejects after `timeoutMs`. */
export async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every descendant of `pid` (read from /proc), deepest last. */
function descendants(pid) {
  if (!existsSync('/proc')) return [];
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch { /* the process ended while we looked */ }
  }
  const out = [];
  const queue = [pid];
  while (queue.length) {
    for (const c of children.get(queue.shift()) ?? []) { out.push(c); queue.push(c); }
  }
  return out;
}

/**
 * Ends `pid`, its process group and every descendant (terminals start their own sessions, so
 * the group alone is not enough): SIGTERM, then SIGKILL for whatever is left after `graceMs`.
 */
export async function killTree(pid, graceMs = 3000) {
  const all = [pid, ...descendants(pid)];
  const signal = (sig) => {
    try { process.kill(-pid, sig); } catch { /* no such group any more */ }
    for (const p of all) { try { process.kill(p, sig); } catch { /* already gone */ } }
  };
  signal('SIGTERM');
  const gone = () => all.every((p) => !pidAlive(p) || isZombie(p));
  try { await waitFor(gone, graceMs, `processes ${all.join(',')} to end`); } catch {
    signal('SIGKILL');
    await waitFor(gone, 5000, `processes ${all.join(',')} to be killed`).catch(() => { /* reported by the caller's checks */ });
  }
}

/** Synchronous SIGKILL of `pid`, its group and its descendants: the last resort in an 'exit' handler. */
export function killTreeNow(pid) {
  const all = [pid, ...descendants(pid)];
  try { process.kill(-pid, 'SIGKILL'); } catch { /* no such group any more */ }
  for (const p of all) { try { process.kill(p, 'SIGKILL'); } catch { /* already gone */ } }
}

function isZombie(pid) {
  try { return / Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\)/, '')); } catch { return true; }
}

/**
 * Serves `folder` with code-server on 127.0.0.1 and resolves once it answers HTTP.
 * @param {{ folder: string, port?: number, userDataDir: string, extensionsDir: string, trust?: boolean,
 *           env?: Record<string,string>, logFile?: string, extraArgs?: string[] }} o
 * @returns {Promise<{ url: string, port: number, process: import('node:child_process').ChildProcess, stop: () => Promise<void>, output: () => string }>}
 */
export async function serve(o) {
  const port = o.port || (await freePort());
  mkdirSync(o.userDataDir, { recursive: true });
  mkdirSync(o.extensionsDir, { recursive: true });
  const args = [
    codeServerEntry(), '--config', configFile(), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', o.userDataDir, '--extensions-dir', o.extensionsDir,
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
    ...(o.trust === false ? [] : ['--disable-workspace-trust']),
    ...(o.extraArgs ?? []),
    o.folder,
  ];
  // Own process group (detached) so stop() reaches the watcher and extension hosts it forks.
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...o.env } });
  let output = '';
  const onData = (d) => { output += d.toString(); if (output.length > 200_000) output = output.slice(-100_000); };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = null;
  child.on('exit', (code, sig) => { exited = `exit ${code ?? sig}`; });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.pid && exited === null) await killTree(child.pid);
    else if (child.pid) await killTree(child.pid, 500);
  };
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitFor(async () => {
      if (exited) throw new Error(`code-server ended before answering (${exited}):\n${output.slice(-3000)}`);
      try { return (await fetch(`${url}healthz`)).ok; } catch { return false; }
    }, 60_000, `code-server on ${url}`);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, process: child, stop, output: () => output };
}

// CLI: install (or reuse) and say where. (No top-level await: the TypeScript tests load this
// file through tsx's CommonJS path, which cannot require a module that awaits at top level.)
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureCodeServer().then(
    (r) => log(`${r.installedNow ? 'installed' : 'already installed'}: ${r.dir}`),
    (e) => {
      console.error(`[code-server] install failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
