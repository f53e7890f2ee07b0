import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { capText } from './output-cap';
import { errorText, toInputSchema, validateWith } from './define';
import { resolveWorkspacePath } from './workspace-paths';
import type { ToolDefinition } from './types';

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

/** `read_file`: numbered lines of a text file, with an optional line range. */
export function createReadFileTool(options: ReadFileOptions = {}): ToolDefinition<ReadFileArgs> {
  const maxFileBytes = options.maxFileBytes ?? 2 * 1024 * 1024;
  const defaultMaxLines = options.defaultMaxLines ?? 2000;
  const maxOutputChars = options.maxOutputChars ?? 50_000;
  return {
    name: 'read_file',
    description: 'Read a text file from the workspace. Returns lines prefixed with their line numbers. Use startLine/endLine for large files.',
    inputSchema: toInputSchema(schema),
    kind: 'read',
    validate: (args) => validateWith(schema, 'read_file', args),
    async describe(args, ctx) {
      const resolved = await resolveWorkspacePath(args.path, ctx.workspaceRoots).catch(() => undefined);
      const range = args.startLine || args.endLine ? ` lines ${args.startLine ?? 1}-${args.endLine ?? 'end'}` : '';
      return { summary: `read ${args.path}${range}`, target: resolved?.relative ?? args.path, paths: resolved ? [resolved.absolute] : undefined };
    },
    async execute(args, ctx) {
      try {
        const { absolute, relative } = await resolveWorkspacePath(args.path, ctx.workspaceRoots);
        const stat = await fs.stat(absolute);
        if (stat.isDirectory()) return { content: `${args.path} is a directory. Use list_dir to see its entries.`, isError: true };
        const ranged = args.startLine !== undefined || args.endLine !== undefined;
        if (stat.size > maxFileBytes && !ranged) {
          return { content: `${relative} is ${stat.size.toLocaleString('en-US')} bytes, over the ${maxFileBytes.toLocaleString('en-US')}-byte limit. Read a part of it with startLine/endLine, or search it with search_text.`, isError: true };
        }
        const buf = await fs.readFile(absolute);
        if (looksBinary(buf)) return { content: `${relative} looks like a binary file (${stat.size.toLocaleString('en-US')} bytes); its content is not shown.`, isError: true };
        const text = buf.toString('utf8');
        const lines = text.split(/\r?\n/);
        if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
        const start = args.startLine ?? 1;
        const end = Math.min(lines.length, args.endLine ?? (ranged ? lines.length : Math.min(lines.length, start + defaultMaxLines - 1)));
        if (lines.length === 0 || (lines.length === 1 && lines[0] === '')) return { content: `${relative} is empty.` };
        if (start > lines.length) return { content: `${relative} has only ${lines.length} lines; startLine ${start} is past the end.`, isError: true };
        const width = String(end).length;
        const body = lines.slice(start - 1, end).map((l, i) => `${String(start + i).padStart(width, ' ')}\t${l}`).join('\n');
        const more = end < lines.length ? `\n(${lines.length - end} more lines; read on with startLine ${end + 1})` : '';
        return { content: capText(body, { maxChars: maxOutputChars }) + more };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return { content: `${args.path} does not exist. Use find_files or list_dir to find the right path.`, isError: true };
        return { content: `Could not read ${args.path}: ${errorText(e)}`, isError: true };
      }
    },
  };
}
