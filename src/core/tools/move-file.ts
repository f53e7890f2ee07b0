import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { defineTool, errorText } from './define';
import { changedSince, readFileState } from './file-write';
import { resolveWorkspacePath } from './workspace-paths';
import { readBytes, stateOf } from '../changes/images';
import type { ToolDefinition } from './types';

const schema = z.object({
  from: z.string().min(1).describe('The file to move or rename, relative to the workspace root.'),
  to: z.string().min(1).describe('Its new path, relative to the workspace root. Must not exist yet; missing folders are created.'),
});
export type MoveFileArgs = z.infer<typeof schema>;

const exists = (absolute: string): Promise<boolean> => fs.lstat(absolute).then(() => true, () => false);

/**
 * `move_file`: moves or renames one file inside the workspace; never overwrites (an existing
 * destination is refused). Moved only while the file is still what was shown (`ctx.precondition`);
 * through the change ledger (`ctx.files`) recorded as one rename, undoable.
 */
export function createMoveFileTool(): ToolDefinition<MoveFileArgs> {
  return defineTool({
    name: 'move_file',
    description: 'Move or rename a file inside the workspace. Refuses when the destination exists (it never overwrites).',
    schema,
    kind: 'edit',
    async describe(args, ctx) {
      try {
        const from = await resolveWorkspacePath(args.from, ctx.workspaceRoots);
        const to = await resolveWorkspacePath(args.to, ctx.workspaceRoots);
        const bytes = await readBytes(from.absolute);
        const refusal = bytes === undefined ? ' (refused: it does not exist)'
          : await exists(to.absolute) ? ` (refused: ${to.relative} already exists)` : '';
        return {
          summary: `move ${from.relative} → ${to.relative}${refusal}`,
          target: from.relative,
          // Both ends: a move into (or out of) a sensitive place asks like a write there.
          paths: [from.absolute, to.absolute],
          precondition: stateOf(bytes),
        };
      } catch (e) {
        return { summary: `move ${args.from} → ${args.to} (refused: ${errorText(e)})`, target: args.from };
      }
    },
    async execute(args, ctx) {
      try {
        const from = await resolveWorkspacePath(args.from, ctx.workspaceRoots);
        const to = await resolveWorkspacePath(args.to, ctx.workspaceRoots);
        const done = { content: `Moved ${from.relative} to ${to.relative}.` };
        if (ctx.files) {
          const outcome = await ctx.files.move(from.absolute, to.absolute, ctx.precondition ? { precondition: ctx.precondition } : {});
          return outcome.ok ? done : { content: outcome.error, isError: true };
        }
        if (from.absolute === to.absolute) return { content: `${from.relative} and ${to.relative} are the same path; nothing was moved.`, isError: true };
        const current = await readFileState(from.absolute);
        const changed = changedSince(from.relative, ctx.precondition, current);
        if (changed) return { content: changed, isError: true };
        if (current.text === undefined) return { content: `${from.relative} does not exist; nothing was moved.`, isError: true };
        if (await exists(to.absolute)) return { content: `${to.relative} already exists; nothing was moved. Choose another name, or delete it first if it is to go.`, isError: true };
        await fs.mkdir(path.dirname(to.absolute), { recursive: true });
        await fs.rename(from.absolute, to.absolute);
        return done;
      } catch (e) {
        return { content: `Could not move ${args.from}: ${errorText(e)}`, isError: true };
      }
    },
  });
}
