import { promises as fs } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import type { ToolCallDescription, ToolDefinition, ToolResult } from '../tools/types';
import { toInputSchema, validateWith } from '../tools/define';
import type { SkillRegistry } from './registry';
import type { SkillInfo } from './types';
import { updateSkillFile } from './front-matter-edit';
import { formatSkillFile, MAX_DESCRIPTION, MAX_SKILL_NAME, SKILL_NAME_RE } from './skill-file';

/** Largest SKILL.md body manage_skill will write, in characters. */
export const MAX_MANAGED_BODY = 64_000;

const loadArgs = z.object({ name: z.string().min(1).describe('The skill name, as listed in the Skills section (its folder name works too).') }).strict();
type LoadArgs = z.infer<typeof loadArgs>;

/** "loaded X" — "(folder Y)" when the folder's name differs, and which of the two the request used. */
function loadedLine(info: SkillInfo, by: 'name' | 'folder'): string {
  if (info.folder === info.name) return `Loaded skill ${info.name}.`;
  return `Loaded ${info.name} (folder ${info.folder}; requested by its ${by === 'name' ? 'name' : 'folder name'}).`;
}

/** `load_skill`: returns a skill's instructions and the list of its bundled files (readable with read_file). */
export function createLoadSkillTool(registry: SkillRegistry): ToolDefinition<LoadArgs> {
  return {
    name: 'load_skill',
    description: 'Load a skill by name: returns its instructions (SKILL.md body) and the list of files bundled with it, which you can open with read_file.',
    inputSchema: toInputSchema(loadArgs),
    kind: 'read',
    validate: (args) => validateWith(loadArgs, 'load_skill', args),
    describe: async (args) => {
      const info = registry.get(args.name);
      return { summary: `load skill ${args.name}`, target: args.name, ...(info ? { paths: [info.skillFile] } : {}) };
    },
    async execute(args): Promise<ToolResult> {
      const found = registry.resolve(args.name);
      if (!found) {
        const names = registry.enabledNames();
        return { content: `No skill named "${args.name}". Available skills: ${names.join(', ') || 'none'}.`, isError: true };
      }
      const c = await registry.content(found.info.name);
      const files = c.files.length > 0 ? c.files.map((f) => `- ${f}`).join('\n') : '(none)';
      return { content: `${loadedLine(found.info, found.by)}\n\n# Skill: ${c.info.name}\n\n${c.body.trim()}\n\n## Bundled files\n${files}\n` };
    },
  };
}

const manageArgs = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('create'),
    name: z.string().regex(SKILL_NAME_RE, 'use lowercase letters, digits and hyphens').max(MAX_SKILL_NAME),
    description: z.string().trim().min(1).max(MAX_DESCRIPTION),
    body: z.string().max(MAX_MANAGED_BODY),
    allowedTools: z.array(z.string().min(1)).optional(),
  }).strict(),
  z.object({
    action: z.literal('update'),
    name: z.string().regex(SKILL_NAME_RE, 'use lowercase letters, digits and hyphens').max(MAX_SKILL_NAME),
    description: z.string().trim().min(1).max(MAX_DESCRIPTION).optional(),
    body: z.string().max(MAX_MANAGED_BODY).optional(),
    allowedTools: z.array(z.string().min(1)).optional(),
  }).strict(),
  z.object({
    action: z.literal('delete'),
    name: z.string().regex(SKILL_NAME_RE, 'use lowercase letters, digits and hyphens').max(MAX_SKILL_NAME),
  }).strict(),
]);
type ManageArgs = z.infer<typeof manageArgs>;

async function readOrEmpty(path: string): Promise<string> {
  try { return await fs.readFile(path, 'utf8'); } catch { return ''; }
}

/**
 * `manage_skill`: creates, updates or deletes a workspace skill under `.agents/skills/<name>/`.
 * Kind 'edit' and every path points into `.agents/` — a sensitive target, so the permission
 * engine always asks (skills steer future sessions).
 */
export function createManageSkillTool(registry: SkillRegistry): ToolDefinition<ManageArgs> {
  // An existing skill in .agents/skills may be found by its name or its folder (they can differ).
  const dirOf = (name: string): string => {
    const existing = registry.list().find((s) => !s.shadowed && s.source === 'workspace' && s.location === 'agents' && (s.name === name || s.folder === name));
    return existing?.dir ?? join(registry.workspaceSkillsDir, name);
  };
  const fileOf = (name: string): string => join(dirOf(name), 'SKILL.md');
  // Never write through a link the registry refused (it may point anywhere on the machine).
  const refusedLink = async (dir: string): Promise<string | undefined> => {
    try {
      if (!(await fs.lstat(dir)).isSymbolicLink()) return undefined;
    } catch {
      return undefined; // absent: created as a real folder
    }
    if (registry.list().some((s) => s.dir === dir && s.linked)) return undefined;
    return `${rel(dir)} is a symbolic link the skill registry does not follow (see the skill problems in the Context panel); nothing was written through it.`;
  };
  const rel = (p: string): string => relative(registry.workspaceRoot, p).split(sep).join('/');

  async function proposedText(args: ManageArgs): Promise<{ before: string; after: string }> {
    const path = fileOf(args.name);
    const before = await readOrEmpty(path);
    if (args.action === 'delete') return { before, after: '' };
    if (args.action === 'create') return { before, after: formatSkillFile(args.name, args.description, args.body, args.allowedTools) };
    if (before === '') return { before, after: '' };
    // Update: edit the existing document so unknown fields and comments survive.
    return {
      before,
      after: updateSkillFile(before, {
        ...(args.description !== undefined ? { description: args.description } : {}),
        ...(args.body !== undefined ? { body: args.body } : {}),
        ...(args.allowedTools !== undefined ? { allowedTools: args.allowedTools } : {}),
      }),
    };
  }

  return {
    name: 'manage_skill',
    description: 'Create, update or delete a workspace skill (.agents/skills/<name>/SKILL.md). Skills steer future sessions, so every change needs the user\'s approval.',
    inputSchema: toInputSchema(manageArgs),
    kind: 'edit',
    validate: (args) => validateWith(manageArgs, 'manage_skill', args),
    async describe(args): Promise<ToolCallDescription> {
      const path = fileOf(args.name);
      // An unparseable existing file: no preview; execute() reports the problem.
      const proposed = await proposedText(args).catch(() => undefined);
      const before = proposed?.before ?? await readOrEmpty(path);
      const verb = args.action === 'create' ? (before ? 'overwrite' : 'create') : args.action;
      return {
        summary: `${verb} skill ${args.name} (${rel(path)})`,
        target: rel(path),
        paths: [path],
        ...(proposed ? { proposed: { path, ...proposed } } : {}),
      };
    },
    async execute(args): Promise<ToolResult> {
      const path = fileOf(args.name);
      const exists = (await readOrEmpty(path)) !== '';
      if (args.action === 'delete') {
        if (!exists) return { content: `No workspace skill "${args.name}" in .agents/skills to delete.`, isError: true };
        await fs.rm(dirOf(args.name), { recursive: true, force: true });
      } else {
        if (args.action === 'update' && !exists) return { content: `No workspace skill "${args.name}" in .agents/skills to update; use action "create".`, isError: true };
        const refused = await refusedLink(dirOf(args.name));
        if (refused) return { content: refused, isError: true };
        let after: string;
        try {
          after = (await proposedText(args)).after;
        } catch (e) {
          return { content: e instanceof Error ? e.message : String(e), isError: true };
        }
        await fs.mkdir(dirOf(args.name), { recursive: true });
        await fs.writeFile(path, after, 'utf8');
      }
      await registry.reload();
      return { content: `Skill "${args.name}" ${args.action === 'delete' ? 'deleted' : args.action === 'create' ? 'created' : 'updated'} (${rel(path)}).` };
    },
  };
}
