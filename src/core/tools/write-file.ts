import { z } from 'zod';
import { unifiedDiff } from './diff';
import { errorText, toInputSchema, validateWith } from './define';
import { readIfExists, writeFileAtomic } from './file-write';
import { resolveWorkspacePath } from './workspace-paths';
import type { ToolDefinition } from './types';

const schema = z.object({
  path: z.string().min(1).describe('File path, relative to the workspace root. Missing folders are created.'),
  content: z.string().describe('The complete new content of the file.'),
});
export type WriteFileArgs = z.infer<typeof schema>;

/** `write_file`: creates or overwrites a whole file. */
export function createWriteFileTool(options: { maxBytes?: number } = {}): ToolDefinition<WriteFileArgs> {
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  return {
    name: 'write_file',
    description: 'Create a file or overwrite it with the given content. Prefer edit_file for changing part of an existing file.',
    inputSchema: toInputSchema(schema),
    kind: 'edit',
    validate(args) {
      const r = validateWith(schema, 'write_file', args);
      if (r.ok && Buffer.byteLength(r.value.content) > maxBytes) {
        return { ok: false, error: `Invalid arguments for write_file: content is over the ${maxBytes.toLocaleString('en-US')}-byte limit.` };
      }
      return r;
    },
    async describe(args, ctx) {
      try {
        const resolved = await resolveWorkspacePath(args.path, ctx.workspaceRoots);
        const current = await readIfExists(resolved.absolute);
        const before = current ?? '';
        const exists = current !== undefined;
        const lines = args.content.split('\n').length;
        return {
          summary: `${exists ? 'overwrite' : 'create'} ${resolved.relative} (${lines} lines)`,
          target: resolved.relative,
          paths: [resolved.absolute],
          diff: unifiedDiff(resolved.relative, before, args.content),
          proposed: { path: resolved.absolute, before, after: args.content },
        };
      } catch (e) {
        // Unresolvable path: describe what was asked; execute refuses with the reason.
        return { summary: `write ${args.path} (refused: ${errorText(e)})`, target: args.path };
      }
    },
    async execute(args, ctx) {
      try {
        const { absolute, relative } = await resolveWorkspacePath(args.path, ctx.workspaceRoots);
        const existed = (await readIfExists(absolute)) !== undefined;
        await writeFileAtomic(absolute, args.content);
        return { content: `${existed ? 'Overwrote' : 'Created'} ${relative} (${args.content.split('\n').length} lines).` };
      } catch (e) {
        return { content: `Could not write ${args.path}: ${errorText(e)}`, isError: true };
      }
    },
  };
}
