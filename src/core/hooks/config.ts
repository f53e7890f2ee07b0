/**
 * Parses the `hooks` of Claude Code's settings files (`.claude/settings.json`,
 * `.claude/settings.local.json`), validated with zod. A bad entry is reported with its file and
 * JSON path and left out; everything else in the file still loads.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { HOOK_EVENTS, type HookCommand, type HookEventName, type HookProblem, type HookSet, type HookSource } from './types';

/** The settings files read, in order, workspace-relative. */
export const HOOK_SETTINGS_FILES = ['.claude/settings.json', '.claude/settings.local.json'] as const;

/** Longest command line kept, characters. */
const MAX_COMMAND = 10_000;
/** Longest timeout accepted, seconds (one hour). */
const MAX_TIMEOUT_S = 3_600;

const commandHook = z.looseObject({
  type: z.literal('command'),
  command: z.string().trim().min(1, 'command is empty').max(MAX_COMMAND, `command is longer than ${MAX_COMMAND} characters`),
  timeout: z.number().positive('timeout must be a positive number of seconds').max(MAX_TIMEOUT_S, `timeout is over ${MAX_TIMEOUT_S} s`).optional(),
});
const group = z.looseObject({ matcher: z.string().max(1_000).optional(), hooks: z.array(z.unknown()) });

/** The content hash approvals are keyed by: event, matcher, command and source. */
export function hookHash(h: Pick<HookCommand, 'event' | 'matcher' | 'command' | 'source'>): string {
  return createHash('sha256').update(JSON.stringify([h.event, h.matcher ?? '', h.command, h.source])).digest('hex');
}

function zodMessage(e: z.ZodError, at: string): { path: string; message: string } {
  const issue = e.issues[0];
  const sub = issue?.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') ?? '';
  return { path: `${at}${sub}`, message: issue?.message ?? 'invalid' };
}

/**
 * The hooks of one settings file's text. `source`: its workspace-relative path (reported and
 * hashed); `root`: the folder it belongs to. Never throws.
 */
export function parseHookSettings(text: string, source: string, root: string): HookSet {
  const hooks: HookCommand[] = [];
  const problems: HookProblem[] = [];
  const problem = (p: string, message: string): void => { problems.push({ source, path: p, message }); };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    problem('', `not valid JSON (${e instanceof Error ? e.message : String(e)}); fix the file to use its hooks`);
    return { hooks, problems };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    problem('', 'the settings file must hold a JSON object');
    return { hooks, problems };
  }
  const all = (doc as Record<string, unknown>).hooks;
  if (all === undefined) return { hooks, problems };
  if (typeof all !== 'object' || all === null || Array.isArray(all)) {
    problem('hooks', 'must be an object of events, e.g. { "PreToolUse": [ … ] }');
    return { hooks, problems };
  }
  for (const [event, groups] of Object.entries(all)) {
    const at = `hooks.${event}`;
    if (!HOOK_EVENTS.includes(event as HookEventName)) {
      problem(at, `event ${event} is not run by Agent Sessions (supported: ${HOOK_EVENTS.join(', ')}); ignored`);
      continue;
    }
    if (!Array.isArray(groups)) { problem(at, 'must be an array of { "matcher", "hooks" } groups'); continue; }
    groups.forEach((g, gi) => {
      const parsed = group.safeParse(g);
      if (!parsed.success) { const m = zodMessage(parsed.error, `${at}[${gi}]`); problem(m.path, m.message); return; }
      const matcher = parsed.data.matcher;
      parsed.data.hooks.forEach((h, hi) => {
        const hat = `${at}[${gi}].hooks[${hi}]`;
        const type = typeof h === 'object' && h !== null ? (h as Record<string, unknown>).type : undefined;
        if (typeof type === 'string' && type !== 'command') { problem(`${hat}.type`, `hook type "${type}" is not supported (only "command"); ignored`); return; }
        const c = commandHook.safeParse(h);
        if (!c.success) { const m = zodMessage(c.error, hat); problem(m.path, m.message); return; }
        const base = { event: event as HookEventName, ...(matcher !== undefined ? { matcher } : {}), command: c.data.command, source };
        hooks.push({ ...base, ...(c.data.timeout !== undefined ? { timeoutSec: c.data.timeout } : {}), root, hash: hookHash(base) });
      });
    });
  }
  return { hooks, problems };
}

/** Reads both settings files of `root` (a missing file is no problem; an unreadable one is). */
export async function loadHookSettings(root: string): Promise<HookSet> {
  const out: HookSet = { hooks: [], problems: [] };
  for (const rel of HOOK_SETTINGS_FILES) {
    let text: string;
    try {
      text = await fs.readFile(path.join(root, rel), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') out.problems.push({ source: rel, path: '', message: `could not be read: ${(e as Error).message}` });
      continue;
    }
    const set = parseHookSettings(text, rel, root);
    out.hooks.push(...set.hooks);
    out.problems.push(...set.problems);
  }
  return out;
}

/**
 * Reads the settings files when they changed (by size and mtime), so every hook event sees the
 * files as they are now without parsing them each time.
 */
export class FileHookSource implements HookSource {
  private readonly cache = new Map<string, { stamp: string; set: HookSet }>();

  async load(root: string): Promise<HookSet> {
    const stamp = (await Promise.all(HOOK_SETTINGS_FILES.map(async (rel) => {
      const st = await fs.stat(path.join(root, rel)).catch(() => undefined);
      return st ? `${st.size}:${st.mtimeMs}` : '-';
    }))).join('|');
    const hit = this.cache.get(root);
    if (hit?.stamp === stamp) return hit.set;
    const set = await loadHookSettings(root);
    this.cache.set(root, { stamp, set });
    return set;
  }
}
