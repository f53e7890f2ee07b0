import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { unifiedDiff } from './diff';
import { defineTool, errorText } from './define';
import { ABSENT_STATE, changedSince, readFileState } from './file-write';
import { resolveWorkspacePath } from './workspace-paths';
import { readBytes, stateOf } from '../changes/images';
import { looksBinary } from '../changes/blob-store';
import type { ToolDefinition } from './types';

const schema = z.object({
  path: z.string().min(1).describe('File path, relative to the workspace root. Only files are deleted, never folders.'),
});
export type DeleteFileArgs = z.infer<typeof schema>;

/** Lines of a text, as an editor counts them (a final newline ends the last line). */
function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/**
 * `delete_file`: removes one file. Its approval card shows what goes (the removed text as a diff);
 * it is deleted only while it is still what was shown (`ctx.precondition`). Through the change
 * ledger (`ctx.files`) its content is kept, so the deletion can be undone.
 */
export function createDeleteFileTool(): ToolDefinition<DeleteFileArgs> {
  return defineTool({
    name: 'delete_file',
    description: 'Delete a file from the workspace (not a folder). The file can be restored from the session\'s changes.',
    schema,
    kind: 'edit',
    async describe(args, ctx) {
      try {
        const resolved = await resolveWorkspacePath(args.path, ctx.workspaceRoots);
        const bytes = await readBytes(resolved.absolute);
        const base = { target: resolved.relative, paths: [resolved.absolute], precondition: stateOf(bytes) };
        if (bytes === undefined) return { ...base, summary: `delete ${resolved.relative} (file does not exist)` };
        if (looksBinary(bytes)) return { ...base, summary: `delete ${resolved.relative} (binary, ${bytes.length.toLocaleString('en-US')} bytes)` };
        const before = bytes.toString('utf8');
        return {
          ...base,
          summary: `delete ${resolved.relative} (${lineCount(before)} lines)`,
          diff: unifiedDiff(resolved.relative, before, ''),
          proposed: { path: resolved.absolute, before, after: '' },
        };
      } catch (e) {
        return { summary: `delete ${args.path} (refused: ${errorText(e)})`, target: args.path };
      }
    },
    async execute(args, ctx) {
      try {
        const { absolute, relative } = await resolveWorkspacePath(args.path, ctx.workspaceRoots);
        if (ctx.files) {
          const outcome = await ctx.files.remove(absolute, ctx.precondition ? { precondition: ctx.precondition } : {});
          return outcome.ok ? { content: `Deleted ${relative}.` } : { content: outcome.error, isError: true };
        }
        if ((await fs.stat(absolute).catch(() => undefined))?.isDirectory()) {
          return { content: `${relative} is a folder; delete_file deletes files only.`, isError: true };
        }
        const current = await readFileState(absolute);
        const changed = changedSince(relative, ctx.precondition, current);
        if (changed) return { content: changed, isError: true };
        if (current.state === ABSENT_STATE) return { content: `${relative} does not exist; nothing was deleted.`, isError: true };
        await fs.rm(absolute);
        return { content: `Deleted ${relative}.` };
      } catch (e) {
        return { content: `Could not delete ${args.path}: ${errorText(e)}`, isError: true };
      }
    },
  });
}
