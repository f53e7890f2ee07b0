/**
 * Parses one custom agent file in either published format:
 * - VS Code / GitHub Copilot `.github/agents/<name>.agent.md`: optional YAML front matter
 *   (`name` defaults to the file name; `description`, `tools` as a YAML list, `model` a string or a
 *   list of fallbacks, plus fields we do not use: `handoffs`, `target`, `argument-hint`, …);
 * - Claude Code `.claude/agents/<name>.md`: front matter with `name`, `description`, `tools` as a
 *   comma-separated string (or a list), `disallowedTools`, `model` (`sonnet`, `opus`, `haiku`,
 *   `inherit` or a model id).
 * The Markdown body is the agent's prompt. Bad input throws an AgentError naming the file and the way out.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { CustomAgentInfo } from '../../shared/knowledge-types';
import { AgentError } from '../base/errors';
import { mapAgentTools, splitToolList, type AgentFormat } from './tool-map';

/** Longest prompt kept (GitHub's limit for agent prompts is 30 000 characters; the session config allows 100 000). */
export const MAX_AGENT_PROMPT = 30_000;
const MAX_DESCRIPTION = 1_024;
const NAME_RE = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,63}$/u;

const toolsField = z.union([z.string(), z.array(z.string()), z.null()]).optional();
const frontMatterSchema = z.object({
  name: z.string().trim().min(1).optional(),
  description: z.string().optional(),
  tools: toolsField,
  disallowedTools: toolsField,
  model: z.union([z.string(), z.array(z.string())]).optional(),
}).loose();

/** A parsed agent: what the pickers show, and the prompt the session gets. */
export interface ParsedAgent {
  info: CustomAgentInfo;
  prompt: string;
  /** Model names as written, first preference first (`inherit` dropped). */
  models: string[];
}

export interface AgentFileRef {
  /** Shown in errors and as `source` (workspace-relative, or ~/… for user agents). */
  source: string;
  fileName: string;
  format: AgentFormat;
  scope: CustomAgentInfo['scope'];
}

function bad(ref: AgentFileRef, why: string): AgentError {
  return new AgentError('bad_request', `Custom agent ${ref.source}: ${why}`);
}

function listOf(v: string | string[] | null | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  if (v === null) return [];
  return Array.isArray(v) ? v.map((s) => s.trim()).filter(Boolean) : splitToolList(v);
}

/** The file name without `.agent.md` / `.md`. */
export function agentNameFromFile(fileName: string): string {
  return fileName.replace(/\.agent\.md$/i, '').replace(/\.md$/i, '');
}

/** Parses `text` (the file's content). Throws AgentError('bad_request') naming `ref.source`. */
export function parseAgentFile(text: string, ref: AgentFileRef): ParsedAgent {
  const m = /^\uFEFF?---\r?\n(?:([\s\S]*?)\r?\n)?---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m && ref.format === 'claude') throw bad(ref, 'a Claude Code agent file starts with YAML front matter (---) holding name and description.');
  let data: unknown = {};
  if (m) {
    try {
      data = parseYaml(m[1] ?? '') ?? {};
    } catch (e) {
      const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
      throw bad(ref, `invalid YAML front matter (${why}). Fix the YAML between the --- lines.`);
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw bad(ref, 'the front matter must be a YAML mapping (name: …, description: …).');
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '?')))];
    throw bad(ref, `invalid front matter field(s) ${fields.join(', ')}: name, description and model are strings, tools a list or a comma-separated string.`);
  }
  const fm = parsed.data;
  const name = (fm.name ?? agentNameFromFile(ref.fileName)).trim();
  if (!NAME_RE.test(name)) throw bad(ref, `the name "${name.slice(0, 80)}" is not usable: letters, digits, spaces, dots, hyphens and underscores, at most 64 characters.`);
  const description = (fm.description ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_DESCRIPTION);
  if (ref.format === 'claude' && (!fm.name || !description)) throw bad(ref, 'Claude Code agents need both name and description in the front matter.');
  const prompt = (m ? text.slice(m[0].length) : text.replace(/^\uFEFF/, '')).trim();
  if (prompt.length > MAX_AGENT_PROMPT) throw bad(ref, `the prompt is ${prompt.length} characters; at most ${MAX_AGENT_PROMPT} are allowed. Shorten it.`);
  const declared = listOf(fm.tools);
  const denied = listOf(fm.disallowedTools) ?? [];
  const mapped = declared === undefined ? { unknown: [] as string[] } : mapAgentTools(declared, ref.format);
  const deny = mapAgentTools(denied, ref.format);
  let tools = mapped.tools;
  const deniedTools = deny.tools ?? [];
  if (tools && deniedTools.length > 0) tools = tools.filter((t) => !deniedTools.includes(t));
  const unknownTools = [...mapped.unknown, ...deny.unknown.map((n) => `!${n}`)];
  const models = (Array.isArray(fm.model) ? fm.model : fm.model !== undefined ? [fm.model] : [])
    .map((s) => s.trim()).filter((s) => s && s.toLowerCase() !== 'inherit');
  const info: CustomAgentInfo = {
    name, description, source: ref.source, scope: ref.scope,
    ...(tools ? { tools } : {}),
    ...(!tools && deniedTools.length > 0 ? { deniedTools } : {}),
    ...(unknownTools.length > 0 ? { unknownTools } : {}),
    ...(models[0] ? { model: models[0] } : {}),
  };
  return { info, prompt, models };
}
