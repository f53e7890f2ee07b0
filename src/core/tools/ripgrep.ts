import { spawn } from 'node:child_process';
import { constants as fsc, promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Finding and running ripgrep. The host passes the rg that VS Code ships (see
 * {@link vscodeRipgrepCandidates}); else one on PATH; else callers fall back to JS.
 */

/** Where VS Code keeps its bundled rg under `vscode.env.appRoot` (layout changed across versions). */
export function vscodeRipgrepCandidates(appRoot: string): string[] {
  const exe = process.platform === 'win32' ? 'rg.exe' : 'rg';
  return [
    path.join(appRoot, 'node_modules', '@vscode', 'ripgrep', 'bin', exe),
    path.join(appRoot, 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin', exe),
    path.join(appRoot, 'node_modules', 'vscode-ripgrep', 'bin', exe),
    path.join(appRoot, 'node_modules.asar.unpacked', 'vscode-ripgrep', 'bin', exe),
  ];
}

async function isExecutable(p: string): Promise<boolean> {
  try {
    await fs.access(p, fsc.X_OK);
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}

/** The first executable among `candidates`, else `rg` on PATH (when `searchPath`), else undefined. */
export async function findRipgrep(candidates: readonly string[], searchPath = true): Promise<string | undefined> {
  for (const c of candidates) if (await isExecutable(c)) return c;
  if (!searchPath) return undefined;
  const exe = process.platform === 'win32' ? 'rg.exe' : 'rg';
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && (await isExecutable(path.join(dir, exe)))) return path.join(dir, exe);
  }
  return undefined;
}

export interface SearchMatch {
  /** Path relative to the searched folder, posix. */
  file: string;
  line: number;
  text: string;
}

export interface SearchRequest {
  /** Folder searched (absolute); results are relative to it. */
  cwd: string;
  pattern: string;
  literal: boolean;
  ignoreCase: boolean;
  glob?: string;
  includeIgnored: boolean;
  /** Stop after this many matches have been seen (the count past `maxResults` is for the "omitted" note). */
  stopAfter: number;
  maxFileBytes: number;
  signal: AbortSignal;
}

export interface SearchOutcome {
  matches: SearchMatch[];
  /** True when the search stopped at `stopAfter`. */
  stopped: boolean;
  error?: string;
}

const rgMatch = (v: unknown): v is { type: 'match'; data: { path: { text?: string }; line_number: number; lines: { text?: string } } } =>
  typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'match';

/** Runs rg with --json and collects line matches (one per matching line, like the JS backend). */
export function searchWithRipgrep(rgPath: string, req: SearchRequest): Promise<SearchOutcome> {
  const args = ['--json', '--no-config', '--no-require-git', '--hidden', '--sort', 'path', '--max-filesize', String(req.maxFileBytes)];
  if (req.includeIgnored) args.push('--no-ignore');
  else args.push('--glob', '!.git', '--glob', '!node_modules');
  if (req.glob) args.push('--glob', req.glob);
  if (req.literal) args.push('--fixed-strings');
  args.push(req.ignoreCase ? '--ignore-case' : '--case-sensitive');
  args.push('-e', req.pattern, '--', '.');

  return new Promise((resolve) => {
    const child = spawn(rgPath, args, { cwd: req.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const matches: SearchMatch[] = [];
    let stopped = false;
    let stderr = '';
    let pending = '';
    const onAbort = () => child.kill('SIGKILL');
    req.signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stopped) return;
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) !== -1) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        let parsed: unknown;
        try { parsed = JSON.parse(line); } catch { continue; /* not JSON: skip the line */ }
        if (!rgMatch(parsed) || parsed.data.path.text === undefined) continue;
        matches.push({
          file: parsed.data.path.text.replace(/^\.\//, ''),
          line: parsed.data.line_number,
          text: (parsed.data.lines.text ?? '').replace(/\r?\n$/, ''),
        });
        if (matches.length >= req.stopAfter) { stopped = true; child.kill('SIGKILL'); break; }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => { if (stderr.length < 4000) stderr += c; });
    child.on('error', (e) => { req.signal.removeEventListener('abort', onAbort); resolve({ matches, stopped, error: e.message }); });
    child.on('close', (code) => {
      req.signal.removeEventListener('abort', onAbort);
      // Exit 2 with matches = some files unreadable; only report an error when nothing came back.
      const error = code === 2 && matches.length === 0 && !stopped ? stderr.trim() || 'ripgrep failed' : undefined;
      resolve({ matches, stopped, error });
    });
  });
}
