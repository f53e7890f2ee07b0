import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { capLines } from './output-cap';
import { errorText, defineTool } from './define';
import { resolveWorkspacePath } from './workspace-paths';
import type { ToolDefinition } from './types';

const schema = z.object({
  path: z.string().optional().describe('Directory, relative to the workspace root. Default: the root.'),
});
export type ListDirArgs = z.infer<typeof schema>;

/** `list_dir`: entries of one directory, folders first, with a trailing "/" on folders. */
export function createListDirTool(options: { maxEntries?: number } = {}): ToolDefinition<ListDirArgs> {
  const maxEntries = options.maxEntries ?? 1000;
  return defineTool({
    name: 'list_dir',
    description: 'List the entries of a directory in the workspace. Folders end with "/".',
    schema,
    kind: 'read',
    readOnly: true,
    async describe(args, ctx) {
      const resolved = await resolveWorkspacePath(args.path ?? '.', ctx.workspaceRoots).catch(() => undefined);
      return { summary: `list ${args.path ?? '.'}`, target: resolved?.relative ?? args.path ?? '.', paths: resolved ? [resolved.absolute] : undefined };
    },
    async execute(args, ctx) {
      try {
        const { absolute, relative } = await resolveWorkspacePath(args.path ?? '.', ctx.workspaceRoots);
        const entries = await fs.readdir(absolute, { withFileTypes: true });
        const rows = await Promise.all(entries.map(async (e) => {
          let dir = e.isDirectory();
          if (e.isSymbolicLink()) dir = await fs.stat(path.join(absolute, e.name)).then((s) => s.isDirectory(), () => false);
          return { name: e.name + (dir ? '/' : ''), dir };
        }));
        rows.sort((a, b) => (a.dir === b.dir ? a.name.localeCompare(b.name) : a.dir ? -1 : 1));
        if (rows.length === 0) return { content: `${relative || '.'} is empty.` };
        return { content: capLines(rows.map((r) => r.name), maxEntries, 'more entries').join('\n') };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return { content: `${args.path} does not exist.`, isError: true };
        if (code === 'ENOTDIR') return { content: `${args.path} is a file, not a directory. Use read_file to read it.`, isError: true };
        return { content: `Could not list ${args.path ?? '.'}: ${errorText(e)}`, isError: true };
      }
    },
  });
}
