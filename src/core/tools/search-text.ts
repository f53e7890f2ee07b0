import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { z } from 'zod';
import { errorText, defineTool } from './define';
import { looksBinary } from './read-file';
import { findRipgrep, searchWithRipgrep, type SearchMatch, type SearchOutcome, type SearchRequest } from './ripgrep';
import { walkFiles } from './walk';
import { resolveWorkspacePath } from './workspace-paths';
import type { ToolDefinition } from './types';

export interface SearchTextOptions {
  /** rg executables to try first (the host passes VS Code's bundled rg). */
  ripgrepPaths?: readonly string[];
  /** Look for `rg` on PATH when no candidate exists. Default true. */
  searchPath?: boolean;
  /** Force the JS backend (tests, or hosts without rg). */
  disableRipgrep?: boolean;
  defaultMaxResults?: number;
  /** Characters kept of one matching line. Default 300. */
  maxLineChars?: number;
  /** Files above this size are skipped. Default 1 MB. */
  maxFileBytes?: number;
}

const schema = z.object({
  pattern: z.string().min(1).describe('Regular expression (or plain text with literal: true).'),
  literal: z.boolean().optional().describe('Treat pattern as plain text. Default false.'),
  ignoreCase: z.boolean().optional().describe('Case-insensitive search. Default false.'),
  path: z.string().optional().describe('Folder to search, relative to the workspace root. Default: the root.'),
  glob: z.string().optional().describe('Only search files matching this glob, e.g. "*.ts" or "src/**/*.py".'),
  includeIgnored: z.boolean().optional().describe('Also search gitignored files, .git and node_modules. Default false.'),
  maxResults: z.number().int().min(1).max(2000).optional().describe('Maximum matching lines returned. Default 200.'),
});
export type SearchTextArgs = z.infer<typeof schema>;

/** Hard stop for counting matches past the cap (the note then says "more than"). */
const COUNT_LIMIT = 10_000;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The JS backend: same walk rules as find_files, one match per line, same output as rg. */
export async function searchWithJs(req: SearchRequest, ignoreRoot: string): Promise<SearchOutcome> {
  let re: RegExp;
  try {
    re = new RegExp(req.literal ? escapeRegExp(req.pattern) : req.pattern, req.ignoreCase ? 'i' : '');
  } catch (e) {
    return { matches: [], stopped: false, error: `Invalid regular expression: ${errorText(e)}` };
  }
  const globMatch = req.glob ? picomatch(req.glob, { dot: true, basename: !req.glob.includes('/') }) : undefined;
  const walk = await walkFiles(req.cwd, { includeIgnored: req.includeIgnored, signal: req.signal }, ignoreRoot);
  const matches: SearchMatch[] = [];
  for (const file of walk.files) {
    if (globMatch && !globMatch(file)) continue;
    req.signal.throwIfAborted();
    const abs = path.join(req.cwd, file);
    const stat = await fs.stat(abs).catch(() => undefined);
    if (!stat?.isFile() || stat.size > req.maxFileBytes) continue;
    const buf = await fs.readFile(abs).catch(() => undefined);
    if (!buf || looksBinary(buf)) continue;
    const lines = buf.toString('utf8').split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      if (!re.test(lines[i])) continue;
      matches.push({ file, line: i + 1, text: lines[i] });
      if (matches.length >= req.stopAfter) return { matches, stopped: true };
    }
  }
  return { matches, stopped: false };
}

function formatMatches(out: SearchOutcome, max: number, maxLineChars: number, prefix: string): string {
  const shown = out.matches.slice(0, max).map((m) => {
    const text = m.text.length > maxLineChars ? `${m.text.slice(0, maxLineChars)}… (${m.text.length - maxLineChars} more characters)` : m.text;
    return `${prefix}${m.file}:${m.line}: ${text}`;
  });
  const extra = out.matches.length - max;
  if (extra > 0) shown.push(`… ${out.stopped ? 'more than ' : ''}${extra.toLocaleString('en-US')} more matching lines omitted; narrow the pattern, path or glob.`);
  return shown.join('\n');
}

/** `search_text`: ripgrep (bundled, PATH) or a JS fallback, with one output shape. */
export function createSearchTextTool(options: SearchTextOptions = {}): ToolDefinition<SearchTextArgs> {
  const defaultMax = options.defaultMaxResults ?? 200;
  const maxLineChars = options.maxLineChars ?? 300;
  const maxFileBytes = options.maxFileBytes ?? 1024 * 1024;
  let rg: Promise<string | undefined> | undefined;
  const ripgrep = () => (rg ??= options.disableRipgrep ? Promise.resolve(undefined) : findRipgrep(options.ripgrepPaths ?? [], options.searchPath ?? true));
  return defineTool({
    name: 'search_text',
    description: 'Search file contents in the workspace (ripgrep). Returns "path:line: text" per matching line, paths relative to the workspace root. Respects .gitignore.',
    schema,
    kind: 'read',
    readOnly: true,
    async describe(args, ctx) {
      const resolved = await resolveWorkspacePath(args.path ?? '.', ctx.workspaceRoots).catch(() => undefined);
      return { summary: `search "${args.pattern}" in ${args.path ?? '.'}${args.glob ? ` (${args.glob})` : ''}`, target: resolved?.relative ?? args.path ?? '.', paths: resolved ? [resolved.absolute] : undefined };
    },
    async execute(args, ctx) {
      try {
        const base = await resolveWorkspacePath(args.path ?? '.', ctx.workspaceRoots);
        const max = args.maxResults ?? defaultMax;
        const req: SearchRequest = {
          cwd: base.absolute, pattern: args.pattern, literal: args.literal ?? false, ignoreCase: args.ignoreCase ?? false,
          glob: args.glob, includeIgnored: args.includeIgnored ?? false, stopAfter: Math.max(max + 1, COUNT_LIMIT), maxFileBytes, signal: ctx.signal,
        };
        const rgPath = await ripgrep();
        let out = rgPath ? await searchWithRipgrep(rgPath, req) : await searchWithJs(req, base.root);
        if (rgPath && out.error && /regex|parse/i.test(out.error) === false && out.matches.length === 0) {
          // rg itself failed (not a pattern problem): try the JS backend before giving up.
          ctx.logger.warn(`search_text: ripgrep failed (${out.error}); using the JS fallback`);
          out = await searchWithJs(req, base.root);
        }
        ctx.signal.throwIfAborted();
        if (out.error) return { content: `Search failed: ${out.error}`, isError: true };
        if (out.matches.length === 0) return { content: `No matches for ${args.literal ? 'text' : 'pattern'} "${args.pattern}" in ${base.relative || '.'}${args.glob ? ` (files matching ${args.glob})` : ''}.` };
        const prefix = base.relative ? `${base.relative}/` : '';
        return { content: formatMatches(out, max, maxLineChars, prefix) };
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        return { content: `Could not search ${args.path ?? '.'}: ${errorText(e)}`, isError: true };
      }
    },
  });
}
