import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { errorText, defineTool } from './define';
import { lineWindowOf, readLineWindow, type LineWindow } from './line-window';
import { stateOf } from '../changes/images';
import { resolveWorkspacePath } from './workspace-paths';
import type { ToolContext, ToolDefinition } from './types';

export interface ReadFileOptions {
  /** Files larger than this (bytes) are refused unless a line range is given. Default 2 MB. */
  maxFileBytes?: number;
  /** Lines returned when no range is given. Default 2000. */
  defaultMaxLines?: number;
  /** Cap on the returned text, characters. Default 50 000. */
  maxOutputChars?: number;
}

const schema = z.object({
  path: z.string().min(1).describe('File path, relative to the workspace root.'),
  startLine: z.number().int().min(1).optional().describe('First line to read (1-based). Default 1.'),
  endLine: z.number().int().min(1).optional().describe('Last line to read (inclusive).'),
}).refine((a) => a.endLine === undefined || a.startLine === undefined || a.endLine >= a.startLine, {
  message: 'endLine must be greater than or equal to startLine',
});
export type ReadFileArgs = z.infer<typeof schema>;

/** Bytes inspected for binary detection. */
const SNIFF_BYTES = 8192;

/** True when the buffer looks like binary data (a NUL byte, or many control characters). */
export function looksBinary(buf: Uint8Array): boolean {
  const n = Math.min(buf.length, SNIFF_BYTES);
  if (n === 0) return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = buf[i];
    if (b === 0) return true;
    if (b < 7 || (b > 13 && b < 32 && b !== 27)) control++;
  }
  return control / n > 0.1;
}

/** Where a read goes: a workspace file, or one of the session's spill files (saved tool output). */
interface ReadTarget {
  absolute: string;
  /** How messages name it. */
  shown: string;
  /** A workspace file (not saved tool output): the change ledger notes what the session saw of it. */
  workspace: boolean;
}

async function resolveTarget(input: string, ctx: Pick<ToolContext, 'workspaceRoots' | 'spill'>): Promise<ReadTarget> {
  try {
    const { absolute, relative } = await resolveWorkspacePath(input, ctx.workspaceRoots);
    return { absolute, shown: relative, workspace: true };
  } catch (e) {
    const spilled = await ctx.spill?.resolve(input);
    if (spilled) return { absolute: spilled, shown: `saved tool output ${path.basename(spilled)}`, workspace: false };
    throw e;
  }
}

/** Reads the first bytes of a file (for binary detection) without reading the rest. */
async function readHead(file: string, bytes: number): Promise<Buffer> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** Characters allowed past the line window for the note after it (how many lines remain, where to read on). */
const NOTE_ROOM = 1_000;

/**
 * `read_file`: numbered lines of a text file, with an optional line range. Files are streamed: a
 * range of a huge file reads only up to its last line, in bounded memory; output over the cap ends
 * at a whole line with where to read on. Also reads the session's saved tool output (`ctx.spill`).
 * Through the change ledger (`ctx.files`) a workspace file up to the size limit is read once, and
 * the state of exactly the bytes shown is noted (`noteSeen`): later writes are checked against it.
 */
export function createReadFileTool(options: ReadFileOptions = {}): ToolDefinition<ReadFileArgs> {
  const maxFileBytes = options.maxFileBytes ?? 2 * 1024 * 1024;
  const defaultMaxLines = options.defaultMaxLines ?? 2000;
  const maxOutputChars = options.maxOutputChars ?? 50_000;
  return defineTool({
    name: 'read_file',
    description: 'Read a text file from the workspace, or saved tool output (a path a tool result named). Returns lines prefixed with their line numbers. Use startLine/endLine for large files.',
    schema,
    kind: 'read',
    readOnly: true,
    // Its own paging keeps it within maxOutputChars at whole lines with where to read on; the
    // executor's cap is only the backstop, with room for the closing note.
    maxOutputChars: maxOutputChars + NOTE_ROOM,
    async describe(args, ctx) {
      const range = args.startLine || args.endLine ? ` lines ${args.startLine ?? 1}-${args.endLine ?? 'end'}` : '';
      const resolved = await resolveWorkspacePath(args.path, ctx.workspaceRoots).catch(() => undefined);
      if (!resolved) {
        const spilled = await ctx.spill?.resolve(args.path);
        if (spilled) return { summary: `read saved tool output ${path.basename(spilled)}${range}`, target: spilled };
      }
      return { summary: `read ${args.path}${range}`, target: resolved?.relative ?? args.path, paths: resolved ? [resolved.absolute] : undefined };
    },
    async execute(args, ctx) {
      try {
        const { absolute, shown, workspace } = await resolveTarget(args.path, ctx);
        const stat = await fs.stat(absolute);
        if (stat.isDirectory()) return { content: `${args.path} is a directory. Use list_dir to see its entries.`, isError: true };
        const ranged = args.startLine !== undefined || args.endLine !== undefined;
        if (stat.size > maxFileBytes && !ranged) {
          return { content: `${shown} is ${fmt(stat.size)} bytes, over the ${fmt(maxFileBytes)}-byte limit. Read a part of it with startLine/endLine, or search it with search_text.`, isError: true };
        }
        // Through the change ledger the file is read once and what is shown is what is hashed: the
        // stale-write guard compares later writes with exactly the content the model saw.
        const bytes = ctx.files && workspace && stat.size <= maxFileBytes ? await fs.readFile(absolute) : undefined;
        const seen = (): void => { if (bytes) ctx.files?.noteSeen(absolute, stateOf(bytes)); };
        const size = bytes?.length ?? stat.size;
        if (size === 0) {
          seen();
          return { content: `${shown} is empty.` };
        }
        if (looksBinary(bytes ? bytes.subarray(0, SNIFF_BYTES) : await readHead(absolute, SNIFF_BYTES))) {
          seen();
          return { content: `${shown} looks like a binary file (${fmt(size)} bytes); its content is not shown.`, isError: true };
        }
        const start = args.startLine ?? 1;
        const end = args.endLine ?? (ranged ? Infinity : start + defaultMaxLines - 1);
        const request = { start, end, maxChars: maxOutputChars, costPerLine: (n: number) => String(n).length + 1, countRestBytes: maxFileBytes };
        const window = bytes ? await lineWindowOf(bytes, request) : await readLineWindow(absolute, request);
        if (window.totalLines === 1 && window.lines.length === 1 && window.lines[0] === '') {
          seen();
          return { content: `${shown} is empty.` };
        }
        if (window.lines.length === 0) {
          return { content: `${shown} has only ${fmt(window.totalLines ?? 0)} lines; startLine ${start} is past the end.`, isError: true };
        }
        const last = start + window.lines.length - 1;
        if (window.nul) return { content: `Lines ${start}–${last} of ${shown} contain binary data (NUL bytes); not shown.`, isError: true };
        const width = String(last).length;
        const body = window.lines.map((l, i) => `${String(start + i).padStart(width, ' ')}\t${l}`).join('\n');
        seen();
        return { content: body + moreNote(window, last, size) };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return { content: `${args.path} does not exist. Use find_files or list_dir to find the right path.`, isError: true };
        return { content: `Could not read ${args.path}: ${errorText(e)}`, isError: true };
      }
    },
  });
}

/** What follows the lines shown: the cut of an over-long line, how many lines remain, where to read on. */
function moreNote(window: LineWindow, last: number, size: number): string {
  const cut = window.cutLine ? `\n(line ${fmt(window.cutLine.line)} is ${fmt(window.cutLine.bytes)} bytes long; only its beginning is shown)` : '';
  if (!window.more) return cut;
  const capped = window.capped && !window.cutLine ? 'output limit reached; ' : '';
  if (window.totalLines !== undefined) return `${cut}\n(${capped}${fmt(window.totalLines - last)} more lines; read on with startLine ${last + 1})`;
  return `${cut}\n(${capped}more lines follow; the file is ${fmt(size)} bytes. Read on with startLine ${last + 1})`;
}
