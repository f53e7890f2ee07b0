/**
 * The memory tools: `remember` (save a fact for later sessions; a near-duplicate is updated, not
 * added twice), `recall` (search the memory) and `forget` (remove an entry by id). Every write is
 * reported through ToolContext.memoryChanged, so the session records `memory.changed` and the
 * tool card shows it with Undo.
 */
import { z } from 'zod';
import type { MemoryChange, ToolDefinition, ToolResult } from '../tools/types';
import { toInputSchema, validateWith } from '../tools/define';
import { isAgentError } from '../base/errors';
import type { MemoryPort, MemoryWrite } from './store';
import { contextLine } from './relevance';

const rememberArgs = z.object({
  text: z.string().min(1).describe('One fact worth knowing in later sessions of this workspace (a convention, a command, a decision). Never a secret.'),
  topic: z.string().min(1).max(80).optional().describe('A short heading to file it under (e.g. "Build", "Style").'),
}).strict();
const recallArgs = z.object({ query: z.string().describe('Words to look for; empty: the most recent entries.') }).strict();
const forgetArgs = z.object({ id: z.string().min(1).max(40).describe('The entry id (shown as "id …" in the memory section or by recall).') }).strict();

type RememberArgs = z.infer<typeof rememberArgs>;
type RecallArgs = z.infer<typeof recallArgs>;
type ForgetArgs = z.infer<typeof forgetArgs>;

function report(write: MemoryWrite, memoryPath: string): MemoryChange {
  return {
    entryId: write.entry.id, action: write.action, text: write.entry.text, memoryPath,
    ...(write.previousText !== undefined ? { previousText: write.previousText } : {}),
    ...(write.entry.topic ? { topic: write.entry.topic } : {}),
  };
}

/** A refused or failed write as a result the model can act on. */
function failed(e: unknown): ToolResult {
  if (isAgentError(e)) return { content: `${e.message}${e.hint ? ` ${e.hint}` : ''}`, isError: true };
  throw e;
}

/** `remember`, `recall` and `forget` over `memory`. */
export function createMemoryTools(memory: MemoryPort): [ToolDefinition<RememberArgs>, ToolDefinition<RecallArgs>, ToolDefinition<ForgetArgs>] {
  const remember: ToolDefinition<RememberArgs> = {
    name: 'remember',
    description: 'Save one fact to the workspace memory so later sessions know it (the user can open and edit the memory file). ' +
      'If a very similar entry exists it is updated instead. Returns the entry id. Never save secrets.',
    inputSchema: toInputSchema(rememberArgs),
    kind: 'other',
    validate: (args) => validateWith(rememberArgs, 'remember', args),
    describe: async (args) => ({ summary: `remember: ${args.text.slice(0, 80)}`, target: memory.path }),
    async execute(args, ctx): Promise<ToolResult> {
      let write: MemoryWrite;
      try {
        write = await memory.remember(args.text, args.topic);
      } catch (e) { return failed(e); }
      ctx.memoryChanged?.(report(write, memory.path));
      return { content: `${write.action === 'added' ? 'Remembered' : 'Updated the existing entry'} (id ${write.entry.id}): ${write.entry.text}` };
    },
  };
  const recall: ToolDefinition<RecallArgs> = {
    name: 'recall',
    description: 'Search the workspace memory (facts saved by earlier sessions or the user). Returns matching entries with their ids.',
    inputSchema: toInputSchema(recallArgs),
    kind: 'read',
    readOnly: true,
    validate: (args) => validateWith(recallArgs, 'recall', args),
    describe: async (args) => ({ summary: `recall ${args.query}`, target: memory.path }),
    async execute(args): Promise<ToolResult> {
      try {
        const found = args.query.trim() === '' ? (await memory.list()).slice(-20).reverse() : await memory.search(args.query);
        return { content: found.length === 0 ? 'No memory entries match.' : found.map(contextLine).join('\n') };
      } catch (e) { return failed(e); }
    },
  };
  const forget: ToolDefinition<ForgetArgs> = {
    name: 'forget',
    description: 'Remove one entry from the workspace memory by its id (when it is wrong or no longer true).',
    inputSchema: toInputSchema(forgetArgs),
    kind: 'other',
    validate: (args) => validateWith(forgetArgs, 'forget', args),
    describe: async (args) => ({ summary: `forget memory ${args.id}`, target: memory.path }),
    async execute(args, ctx): Promise<ToolResult> {
      let write: MemoryWrite | undefined;
      try {
        write = await memory.forget(args.id);
      } catch (e) { return failed(e); }
      if (!write) return { content: `No memory entry has id ${args.id}. Use recall to find it.`, isError: true };
      ctx.memoryChanged?.(report(write, memory.path));
      return { content: `Forgot (id ${write.entry.id}): ${write.entry.text}` };
    },
  };
  return [remember, recall, forget];
}
