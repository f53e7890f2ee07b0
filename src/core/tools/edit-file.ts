import { z } from 'zod';
import { applyEdits } from './edit-apply';
import { unifiedDiff } from './diff';
import { errorText, defineTool } from './define';
import { changedSince, readFileState, writeFileAtomic } from './file-write';
import { resolveWorkspacePath } from './workspace-paths';
import type { ToolDefinition } from './types';

const editSchema = z.object({
  oldText: z.string().describe('Exact text to replace, copied from the file (without line-number prefixes). Must match exactly once unless replaceAll.'),
  newText: z.string().describe('Replacement text.'),
  replaceAll: z.boolean().optional().describe('Replace every occurrence. Default false.'),
});
const schema = z.object({
  path: z.string().min(1).describe('File path, relative to the workspace root.'),
  edits: z.array(editSchema).min(1).max(50).describe('Replacements applied in order; if any fails, none is written.'),
});
export type EditFileArgs = z.infer<typeof schema>;

/**
 * `edit_file`: exact-string replacements, all-or-nothing, with a diff for the approval card. The
 * edit is applied to the file only while it is still what the diff was computed from (`ctx.precondition`),
 * and through the change ledger (`ctx.files`) only while it has not changed on disk since the session
 * last read or wrote it.
 */
export function createEditFileTool(): ToolDefinition<EditFileArgs> {
  return defineTool({
    name: 'edit_file',
    description: 'Edit an existing file by exact string replacement. Each oldText must match exactly once (add surrounding lines to make it unique). Several edits in one call are applied together or not at all.',
    schema,
    kind: 'edit',
    async describe(args, ctx) {
      const n = args.edits.length;
      try {
        const resolved = await resolveWorkspacePath(args.path, ctx.workspaceRoots);
        const current = await readFileState(resolved.absolute);
        const base = { target: resolved.relative, paths: [resolved.absolute], precondition: current.state };
        const before = current.text;
        if (before === undefined) return { ...base, summary: `edit ${resolved.relative} (file does not exist)` };
        const outcome = applyEdits(before, args.edits);
        if (!outcome.ok) return { ...base, summary: `edit ${resolved.relative} (${n} edit${n === 1 ? '' : 's'}; will fail: oldText not matched)` };
        return {
          ...base,
          summary: `edit ${resolved.relative} (${outcome.replacements} replacement${outcome.replacements === 1 ? '' : 's'})`,
          diff: unifiedDiff(resolved.relative, before, outcome.text),
          proposed: { path: resolved.absolute, before, after: outcome.text },
        };
      } catch (e) {
        return { summary: `edit ${args.path} (refused: ${errorText(e)})`, target: args.path };
      }
    },
    async execute(args, ctx) {
      try {
        const { absolute, relative } = await resolveWorkspacePath(args.path, ctx.workspaceRoots);
        if (ctx.files) {
          let replacements = 0;
          const outcome = await ctx.files.update(absolute, (current) => {
            if (current.text === undefined) return { error: `${args.path} does not exist. Use write_file to create it.` };
            const edited = applyEdits(current.text, args.edits);
            if (!edited.ok) return { error: `${relative}: ${edited.message}` };
            replacements = edited.replacements;
            return { content: edited.text };
          }, ctx.precondition ? { precondition: ctx.precondition } : {});
          if (!outcome.ok) return { content: outcome.error, isError: true };
          return { content: `Edited ${relative}: ${replacements} replacement${replacements === 1 ? '' : 's'}.` };
        }
        const current = await readFileState(absolute);
        const changed = changedSince(relative, ctx.precondition, current);
        if (changed) return { content: changed, isError: true };
        const before = current.text;
        if (before === undefined) return { content: `${args.path} does not exist. Use write_file to create it.`, isError: true };
        const outcome = applyEdits(before, args.edits);
        if (!outcome.ok) return { content: `${relative}: ${outcome.message}`, isError: true };
        await writeFileAtomic(absolute, outcome.text);
        return { content: `Edited ${relative}: ${outcome.replacements} replacement${outcome.replacements === 1 ? '' : 's'}.` };
      } catch (e) {
        return { content: `Could not edit ${args.path}: ${errorText(e)}`, isError: true };
      }
    },
  });
}
