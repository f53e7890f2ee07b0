import { isAbsolute, relative, resolve, sep } from 'node:path';
import { promises as fs } from 'node:fs';
import picomatch from 'picomatch';
import type { AttachedRule } from '../../shared/knowledge-types';
import type { ToolCallHooks, HookedCall } from '../session/call-hooks';
import type { TurnHost } from '../session/turn-host';
import { worktreeRootOf } from '../../shared/worktree';
import { toAgentError } from '../base/errors';
import type { RulesFile } from './rules-files';

/**
 * Rules files that join a session on the way, as the conventions say: a nested AGENTS.md (and
 * CLAUDE.md, GEMINI.md) once the session reads or edits a file under its folder; a Cursor rule
 * once a file matching its globs is involved; a Cursor rule listed by its description once the
 * model reads it. A `ToolCallHooks.after` seam looks at each finished call's path arguments and
 * records `rules.attached` (the fold keeps snapshot.attachedRules and writes the transcript
 * marker); the next request's system prompt has them (rules-prompt.ts).
 */

/** The path arguments of the built-in tools that read, write or list files (src/core/tools). */
export const PATH_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  read_file: ['path'], edit_file: ['path'], write_file: ['path'], delete_file: ['path'],
  list_dir: ['path'], find_files: ['path'], search_text: ['path'], move_file: ['from', 'to'],
};

/** The paths a call involves, as the model wrote them (`path`, `paths`, `from`/`to` of the tools above). */
export function involvedPaths(call: Pick<HookedCall, 'name' | 'args'>): string[] {
  const names = PATH_ARGUMENTS[call.name];
  if (!names) return [];
  const out: string[] = [];
  for (const n of [...names, 'paths']) {
    const v = call.args[n];
    if (typeof v === 'string' && v.trim() !== '') out.push(v.trim());
    else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string' && x.trim() !== '') out.push(x.trim());
  }
  return out;
}

/**
 * A path as workspace-relative posix (against `root` or its real path), or undefined when it
 * lies outside. Lexical, like the loader's walk: a nested file is found where its folder is seen.
 */
export function workspaceRelative(input: string, roots: readonly string[]): string | undefined {
  const root = roots[0];
  if (!root) return undefined;
  for (const base of roots) {
    const abs = isAbsolute(input) ? resolve(input) : resolve(root, input);
    const rel = relative(base, abs);
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) return rel.split(sep).join('/');
    if (!isAbsolute(input)) break;
  }
  return undefined;
}

const matchers = new Map<string, (p: string) => boolean>();
function globMatcher(globs: readonly string[]): (p: string) => boolean {
  const key = globs.join('\n');
  let m = matchers.get(key);
  if (!m) {
    // A pattern without a slash matches the file name at any depth (Cursor's `*.ts`).
    const tests = globs.map((g) => picomatch(g, { dot: true, basename: !g.includes('/') }));
    m = (p) => tests.some((t) => t(p));
    matchers.set(key, m);
  }
  return m;
}

/**
 * The rules files that `paths` (workspace-relative) bring in and that are not in `known` yet
 * (attached before, or ids to skip), in the order of `files`, each once with the first path that
 * brought it.
 */
export function rulesToAttach(files: readonly RulesFile[], paths: readonly string[], known: ReadonlySet<string>): AttachedRule[] {
  const out: AttachedRule[] = [];
  const seen = new Set(known);
  for (const f of files) {
    if (!f.enabled || seen.has(f.id)) continue;
    for (const p of paths) {
      let reason: AttachedRule['reason'] | undefined;
      if (f.activation === 'path' && (p === f.scope || p.startsWith(`${f.scope}/`))) reason = 'path';
      else if (f.activation === 'glob' && f.globs && p !== '' && globMatcher(f.globs)(p)) reason = 'glob';
      else if (f.activation === 'requested' && p === f.relativePath) reason = 'requested';
      if (!reason) continue;
      out.push({ id: f.id, relativePath: f.relativePath, reason, ...(reason === 'requested' ? {} : { trigger: p }) });
      seen.add(f.id);
      break;
    }
  }
  return out;
}

/** The real paths of the session's roots too (a call may name a file by its real absolute path). */
async function withRealRoots(roots: readonly string[]): Promise<string[]> {
  const real = await Promise.all(roots.slice(0, 1).map((r) => fs.realpath(r).catch(() => r)));
  return [...roots.slice(0, 1), ...real.filter((r) => r !== roots[0])];
}

/**
 * Whether any file could still join, by the listing recorded at the turn's start: a workspace
 * with only root files then costs no tree walk per call. No listing yet: look.
 */
function mayAttach(host: TurnHost): boolean {
  const rules = host.data.knowledge?.rules;
  return !rules || rules.some((r) => r.enabled && !r.active && (r.activation === 'path' || r.activation === 'glob' || r.activation === 'requested'));
}

/**
 * The seam (TurnEnv.callHooks): after each file tool call, attaches the rules files its paths
 * bring in. Never fails the call (a failure is logged); adds nothing to the result.
 */
export function rulesOnPathHooks(): ToolCallHooks {
  return {
    async after(host: TurnHost, turn, call) {
      const raw = involvedPaths(call);
      if (raw.length === 0 || !mayAttach(host)) return undefined;
      try {
        const roots = await withRealRoots(host.roots);
        const paths = raw.map((p) => workspaceRelative(p, roots)).filter((p): p is string => p !== undefined);
        if (paths.length === 0) return undefined;
        const files = await host.env.knowledge.rulesFiles(turn.config, worktreeRootOf(host.data.worktree));
        const known = new Set((host.data.attachedRules ?? []).map((r) => r.id));
        turn.record.rulesAttached(rulesToAttach(files, paths, known));
      } catch (e) {
        host.env.logger.warn(`Rules files for ${call.name} could not be attached: ${toAgentError(e).message}`);
      }
      return undefined;
    },
  };
}
