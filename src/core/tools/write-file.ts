import { z } from 'zod';
import { unifiedDiff } from './diff';
import { defineTool, errorText } from './define';
import { ABSENT_STATE, changedSince, readFileState, writeFileAtomic } from './file-write';
import { resolveWorkspacePath } from './workspace-paths';
import { stateOf } from '../changes/images';
import type { ToolDefinition } from './types';

const schema = z.object({
  path: z.string().min(1).describe('File path, relative to the workspace root. Missing folders are created.'),
  content: z.string().describe('The complete new content of the file.'),
});
export type WriteFileArgs = z.infer<typeof schema>;

/**
 * `write_file`: creates or overwrites a whole file, only while it is still what the diff was computed
 * from (`ctx.precondition`). Through the change ledger (`ctx.files`) an existing file must have been
 * read (or written) by the session first, and must not have changed on disk since.
 */
export function createWriteFileTool(options: { maxBytes?: number } = {}): ToolDefinition<WriteFileArgs> {
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  return defineTool({
    name: 'write_file',
    description: 'Create a file or overwrite it with the given content. Prefer edit_file for changing part of an existing file.',
    schema,
    kind: 'edit',
    check: (value) => (Buffer.byteLength(value.content) > maxBytes ? `content is over the ${maxBytes.toLocaleString('en-US')}-byte limit.` : undefined),
    async describe(args, ctx) {
      try {
        const resolved = await resolveWorkspacePath(args.path, ctx.workspaceRoots);
        const current = await readFileState(resolved.absolute);
        const before = current.text ?? '';
        const exists = current.text !== undefined;
        const lines = args.content.split('\n').length;
        return {
          summary: `${exists ? 'overwrite' : 'create'} ${resolved.relative} (${lines} lines)`,
          target: resolved.relative,
          paths: [resolved.absolute],
          diff: unifiedDiff(resolved.relative, before, args.content),
          proposed: { path: resolved.absolute, before, after: args.content },
          precondition: current.state,
        };
      } catch (e) {
        // Unresolvable path: describe what was asked; execute refuses with the reason.
        return { summary: `write ${args.path} (refused: ${errorText(e)})`, target: args.path };
      }
    },
    async execute(args, ctx) {
      try {
        const { absolute, relative } = await resolveWorkspacePath(args.path, ctx.workspaceRoots);
        const lines = args.content.split('\n').length;
        if (ctx.files) {
          const wanted = stateOf(Buffer.from(args.content, 'utf8'));
          let existed = false;
          let same = false;
          const outcome = await ctx.files.update(absolute, (current) => {
            existed = current.state !== ABSENT_STATE;
            same = current.state === wanted;
            return { content: args.content };
          }, { mustHaveSeen: true, ...(ctx.precondition ? { precondition: ctx.precondition } : {}) });
          if (!outcome.ok) return { content: outcome.error, isError: true };
          if (same) return { content: `${relative} already has this content (${lines} lines); nothing was written.` };
          return { content: `${existed ? 'Overwrote' : 'Created'} ${relative} (${lines} lines).` };
        }
        const current = await readFileState(absolute);
        const changed = changedSince(relative, ctx.precondition, current);
        if (changed) return { content: changed, isError: true };
        const existed = current.state !== ABSENT_STATE;
        await writeFileAtomic(absolute, args.content);
        return { content: `${existed ? 'Overwrote' : 'Created'} ${relative} (${lines} lines).` };
      } catch (e) {
        return { content: `Could not write ${args.path}: ${errorText(e)}`, isError: true };
      }
    },
  });
}
