/**
 * Recognises, in a sandboxed command's output, what the sandbox refused — a write to a
 * protected or outside path (EROFS, and EISDIR/EBUSY on a protected path's placeholder or pin),
 * or the network — and says so in one line the model can act on. Call it only for commands that
 * ran sandboxed: the same messages mean something else outside.
 *
 * Matching is by message shape (dash, bash, coreutils, git, Python, Node, curl, getaddrinfo),
 * on whole lines, and each path is checked against the policy: an EISDIR on an ordinary folder
 * is not a refusal, and `grep -n` output that quotes such messages (`file:12:…`) is ignored.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ancestorsBelow, containing, isWithin, resolveLoose } from './paths';
import type { SandboxPolicy, SandboxRefusal } from './types';

const CANDIDATE = /read-only file system|EROFS|Errno 30|is a directory|EISDIR|resource busy|EBUSY|resolve host|name resolution|resolve hostname|network is unreachable|ENETUNREACH|EAI_AGAIN|connection refused|ECONNREFUSED/i;
const READ_ONLY = /read-only file system|\bEROFS\b|\[Errno 30\]/i;
const PLACEHOLDER_ERROR = /is a directory|\bEISDIR\b|resource busy|\bEBUSY\b/i;
const NETWORK = /could not resolve host|temporary failure in name resolution|could not resolve hostname|network is unreachable|\bENETUNREACH\b|getaddrinfo EAI_AGAIN|\bEAI_AGAIN\b|connection refused|\bECONNREFUSED\b/i;
/** `path:line:` — grep/compiler output quoting a message, not the command failing. */
const QUOTED_OUTPUT = /^[^\s:]+:\d+[:-]/;
const MAX_LINES = 50;

/** Collects the candidate lines of a streamed output (chunks may split lines). */
export class RefusalScanner {
  private partial = '';
  private readonly found: string[] = [];

  /** Feeds one decoded chunk. */
  push(text: string): void {
    const parts = (this.partial + text).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    if (this.partial.length > 4096) this.partial = this.partial.slice(-4096);
    for (const line of parts) this.take(line);
  }

  /** The candidate lines seen so far (at most 50), the unfinished last line included. */
  lines(): string[] {
    return this.partial && CANDIDATE.test(this.partial) ? [...this.found, this.partial] : [...this.found];
  }

  private take(line: string): void {
    if (this.found.length < MAX_LINES && CANDIDATE.test(line)) this.found.push(line);
  }
}

/**
 * The paths a message names, most likely first: quoted ones from the last (`mv 'a' to 'b'`
 * fails on `b`), else the text before `: <error>` with the tool's phrase stripped.
 */
export function pathsInMessage(line: string): string[] {
  const quoted = [...line.matchAll(/'([^']+)'|‘([^’]+)’|"([^"]+)"|`([^`']+)'/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!);
  if (quoted.length > 0) return quoted.reverse();
  const at = line.search(/:\s*(read-only file system|is a directory|device or resource busy)/i);
  if (at <= 0) return [];
  const segment = line.slice(0, at).split(': ').pop()!.trim();
  const p = segment.replace(/^(?:cannot (?:create|touch|remove|open|mkdir|overwrite)(?: regular file| directory)?|could not (?:lock|write) config file|unable to (?:create|write|open)(?: file)?|failed to create(?: symbolic link| directory)?)\s+/i, '');
  if (p && !/\s/.test(p)) return [p];
  // Another tool's phrase: its last word, when that looks like a path.
  const last = p.split(/\s+/).at(-1) ?? '';
  return /[/.]/.test(last) ? [last] : [];
}

interface Judged { rank: number; refusal: SandboxRefusal }

function rel(p: string, root: string | undefined): string {
  return root ? path.relative(root, p) || '.' : p;
}

/** How the sandbox treats an absolute, resolved path: protected, held for one, inside, outside. */
function judgeWrite(p: string, roots: string[], protectedPaths: string[]): Judged {
  const root = containing(p, roots);
  const ask = 'the write did not happen. Ask the user if it is needed.';
  if (!root) {
    return { rank: 2, refusal: { kind: 'write', path: p, message: `read-only: ${p} is outside the workspace (the sandbox lets commands write only inside it and in /tmp); ${ask}` } };
  }
  const name = rel(p, root);
  const inside = protectedPaths.find((q) => isWithin(p, q));
  if (inside) {
    const what = inside === p ? `${name} is protected by the sandbox` : `${name} is inside ${rel(inside, root)}, which the sandbox protects`;
    return { rank: 0, refusal: { kind: 'write', path: name, message: `read-only: ${what}; ${ask}` } };
  }
  for (const q of protectedPaths) {
    if (!isWithin(q, root)) continue;
    const holder = ancestorsBelow(q, root).find((a) => isWithin(p, a) && (a === p || !existsSync(a)));
    if (holder === undefined) continue;
    const why = existsSync(holder)
      ? `holds the protected ${rel(q, root)}, so the sandbox does not let it be moved or removed`
      : `is kept read-only while it does not exist, because ${rel(q, root)} inside it is protected`;
    return { rank: 0, refusal: { kind: 'write', path: name, message: `read-only: ${rel(holder, root)} ${why}; ${ask}` } };
  }
  return { rank: 1, refusal: { kind: 'write', path: name, message: `read-only: ${name} is read-only in the sandbox (it may lead through a link to a protected or outside path); ${ask}` } };
}

function safeResolve(p: string): string {
  try {
    return resolveLoose(p);
  } catch {
    return path.resolve(p); // a symlink loop: judge the spelling
  }
}

/**
 * The most telling refusal in `lines` (protected > other read-only > network), or undefined.
 * `cwd` resolves relative paths in messages; `policy` is the one the command ran with.
 */
export function findSandboxRefusal(lines: readonly string[], context: { cwd: string; policy: SandboxPolicy }): SandboxRefusal | undefined {
  const roots = context.policy.writableRoots.map(safeResolve);
  const protectedPaths = context.policy.protectedPaths.map(safeResolve);
  let best: Judged | undefined;
  const offer = (j: Judged) => { if (!best || j.rank < best.rank) best = j; };
  for (const raw of lines) {
    const line = raw.trim();
    if (QUOTED_OUTPUT.test(line)) continue;
    const readOnly = READ_ONLY.test(line);
    if (readOnly || PLACEHOLDER_ERROR.test(line)) {
      const named = pathsInMessage(line).map((p) => judgeWrite(safeResolve(path.resolve(context.cwd, p)), roots, protectedPaths));
      if (named.length === 0 && readOnly) {
        offer({ rank: 2, refusal: { kind: 'write', message: 'read-only: the command tried to write where the sandbox does not allow it (outside the workspace or a protected path); the write did not happen. Ask the user if it is needed.' } });
      }
      // EROFS is the sandbox's whatever the path; EISDIR/EBUSY only on a protected path's mount.
      const judged = readOnly ? named[0] : named.find((j) => j.rank === 0);
      if (judged) offer(judged);
      continue;
    }
    if (!context.policy.network && NETWORK.test(line)) {
      const refused = /connection refused|ECONNREFUSED/i.test(line);
      const evidence = line.length > 120 ? `${line.slice(0, 117)}…` : line;
      const message = refused
        ? `network is off in the sandbox: its loopback is its own, so servers running outside it (localhost included) are not reachable (${evidence}). Ask the user if it is needed: a permission rule "network" (allow) turns it on for sandboxed commands.`
        : `network is off in the sandbox: the command could not reach the network (${evidence}). Ask the user if it is needed: a permission rule "network" (allow) turns it on for sandboxed commands.`;
      offer({ rank: 3, refusal: { kind: 'network', message } });
    }
  }
  return best?.refusal;
}

/** bubblewrap's own start-up error (`bwrap: …`, exit 1): the command did not run. */
export function sandboxStartFailure(output: string, exitCode: number | null): string | undefined {
  const first = output.trimStart().split('\n', 1)[0] ?? '';
  if (exitCode !== 1 || !first.startsWith('bwrap: ')) return undefined;
  return `The sandbox could not set up this command (${first}); the command did not run.`;
}
