import { z } from 'zod';
import { defineTool } from './define';
import type { ToolDefinition } from './types';
import type { TaskItem } from '../session/types';

const schema = z.object({
  tasks: z.array(z.object({
    id: z.string().min(1).describe('Stable id of the task.'),
    title: z.string().min(1),
    status: z.enum(['pending', 'in_progress', 'done', 'cancelled']),
  })).max(100).describe('The complete task list; it replaces the previous one.'),
});
export type UpdateTasksArgs = z.infer<typeof schema>;

const MARK: Record<TaskItem['status'], string> = { pending: '[ ]', in_progress: '[~]', done: '[x]', cancelled: '[-]' };

/** `update_tasks`: replaces the session's task list (the engine emits `tasks.updated`). */
export function createUpdateTasksTool(): ToolDefinition<UpdateTasksArgs> {
  return defineTool({
    name: 'update_tasks',
    description: 'Replace the session task list (a short plan the user sees). Send the whole list each time; mark one task in_progress while you work on it.',
    schema,
    kind: 'other',
    check(value) {
      const ids = new Set<string>();
      for (const t of value.tasks) {
        if (ids.has(t.id)) return `task id "${t.id}" appears twice; ids must be unique.`;
        ids.add(t.id);
      }
      return undefined;
    },
    async describe(args) {
      return { summary: `update tasks (${args.tasks.length})` };
    },
    async execute(args, ctx) {
      const tasks: TaskItem[] = args.tasks.map((t) => ({ id: t.id, title: t.title, status: t.status }));
      ctx.tasks.set(tasks);
      const done = tasks.filter((t) => t.status === 'done').length;
      return { content: `Task list updated (${done}/${tasks.length} done):\n${tasks.map((t) => `${MARK[t.status]} ${t.title}`).join('\n')}` };
    },
  });
}
