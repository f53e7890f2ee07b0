/**
 * Maps the tool names custom agents declare — Claude Code's (`Read, Grep, Glob, Bash`,
 * `mcp__server__tool`) and VS Code / GitHub Copilot's (`read`, `search/textSearch`, `editFiles`,
 * `runCommands`, `server/*`) — to this extension's tool names.
 *
 * The rule is to narrow, never to widen: a name maps only to tools that do what it names; a name
 * we have no tool for, and a name with a specifier we cannot enforce (`Bash(git diff:*)`,
 * `Agent(worker)`), is kept out and reported as unknown. An agent whose every listed tool is
 * unknown therefore gets no tools at all (VS Code ignores tools it does not provide the same way);
 * the session says which names were dropped. Only `*` (every tool) or no `tools` field means all.
 */
import { sanitizeName } from '../mcp/names';

/** Our tool names the mapping can produce (built-ins and engine tools). */
const READ = ['read_file'];
const SEARCH = ['search_text', 'find_files', 'list_dir'];
const EDIT = ['edit_file', 'write_file'];
const RUN = ['run_command'];
const AGENT = ['spawn_session'];
const TODO = ['update_tasks'];

/**
 * Claude Code tool names (https://code.claude.com/docs/en/settings#tools-available-to-claude).
 * Claude Code matches them case-sensitively; GitHub's Copilot agents accept them as aliases, so
 * they are looked up without regard to case here.
 */
const CLAUDE: Record<string, readonly string[]> = {
  read: READ, write: ['write_file'], edit: ['edit_file'], multiedit: ['edit_file'],
  bash: RUN, grep: ['search_text'], glob: ['find_files'], ls: ['list_dir'],
  todowrite: TODO, task: AGENT, agent: AGENT, skill: ['load_skill'],
};

/**
 * VS Code tool sets and tools (code.visualstudio.com/docs/agents/reference/tools-reference),
 * their qualified `set/tool` names, the older unqualified names chat-mode files still use, and
 * GitHub Copilot's aliases (`shell`, `custom-agent`, `todo`).
 */
const VSCODE: Record<string, readonly string[]> = {
  // Tool sets.
  read: READ, search: SEARCH, edit: EDIT, execute: RUN, agent: AGENT, todos: TODO, todo: TODO,
  // Qualified tools.
  'read/readfile': READ,
  'search/codebase': ['search_text'], 'search/filesearch': ['find_files'], 'search/listdirectory': ['list_dir'], 'search/textsearch': ['search_text'],
  'edit/createfile': ['write_file'], 'edit/editfiles': EDIT,
  'execute/runinterminal': RUN,
  'agent/runsubagent': AGENT,
  // Older names.
  codebase: ['search_text'], readfile: READ, filesearch: ['find_files'], textsearch: ['search_text'], listdirectory: ['list_dir'],
  editfiles: EDIT, createfile: ['write_file'], runcommands: RUN, runinterminal: RUN, runsubagent: AGENT,
  // GitHub Copilot aliases.
  shell: RUN, powershell: RUN, 'custom-agent': AGENT,
};

/** VS Code's built-in tool sets: `<set>/<tool>` names one of their tools, never an MCP server's. */
const VSCODE_SETS = new Set(['read', 'search', 'edit', 'execute', 'web', 'agent', 'todos', 'vscode', 'browser']);

/** Which published format a tools list comes from (`.claude/agents` or `.github/agents`). */
export type AgentFormat = 'claude' | 'copilot';

export interface MappedTools {
  /** Our names, sorted and unique; `undefined`: every tool (`*`). */
  tools?: string[];
  /** Names as written that map to nothing we have (or carry a specifier we cannot enforce). */
  unknown: string[];
}

/**
 * Splits Claude Code's comma-separated `tools` string, keeping commas inside parentheses
 * (`Bash(git add:*, git commit:*)`) with their tool. Empty items are dropped.
 */
export function splitToolList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** One MCP name in either syntax → our allowlist pattern, or undefined when it is not an MCP name. */
function mcpPattern(name: string, format: AgentFormat): string | undefined {
  if (name.startsWith('mcp__')) {
    const [, server, ...rest] = name.split('__');
    if (!server) return undefined;
    const tool = rest.join('__');
    // Claude Code: `mcp__server` (every tool of the server), `mcp__server__*`, `mcp__server__tool`.
    return !tool || tool === '*' ? `mcp__${sanitizeName(server)}__*` : `mcp__${sanitizeName(server)}__${sanitizeName(tool)}`;
  }
  if (format === 'copilot') {
    const slash = name.indexOf('/');
    if (slash <= 0 || slash === name.length - 1) return undefined;
    const server = name.slice(0, slash);
    const tool = name.slice(slash + 1);
    if (tool.includes('/') || VSCODE_SETS.has(server.toLowerCase())) return undefined;
    return tool === '*' ? `mcp__${sanitizeName(server)}__*` : `mcp__${sanitizeName(server)}__${sanitizeName(tool)}`;
  }
  return undefined;
}

/**
 * Maps declared tool names to ours (see the file comment for the rules). Built-in names are
 * matched before MCP ones, so `read/readFile` is VS Code's tool, not a server named `read`.
 */
export function mapAgentTools(declared: readonly string[], format: AgentFormat): MappedTools {
  const tools = new Set<string>();
  const unknown: string[] = [];
  for (const raw of declared) {
    const name = raw.trim();
    if (!name) continue;
    if (name === '*') return { unknown: [] };
    if (/[()]/.test(name)) { unknown.push(name); continue; } // a specifier: not enforceable as a tool allowlist
    const key = name.toLowerCase();
    const own = (format === 'claude' ? CLAUDE[key] : VSCODE[key] ?? CLAUDE[key]);
    if (own) { for (const t of own) tools.add(t); continue; }
    const mcp = mcpPattern(name, format);
    if (mcp) { tools.add(mcp); continue; }
    unknown.push(name);
  }
  return { tools: [...tools].sort(), unknown };
}

/**
 * The session's allowlist with an agent's tools applied: the agent's, narrowed to the existing
 * allowlist when there is one (a pattern like `mcp__github__*` in either keeps the names of the
 * other it covers). Never wider than either side.
 */
export function intersectAllowlists(agent: readonly string[] | undefined, existing: readonly string[] | undefined): string[] | undefined {
  if (!agent) return existing ? [...existing] : undefined;
  if (!existing) return [...agent];
  const covers = (pattern: string, name: string): boolean => (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name);
  const out = new Set<string>();
  for (const a of agent) {
    for (const e of existing) {
      if (covers(e, a)) out.add(a);
      else if (covers(a, e)) out.add(e);
    }
  }
  return [...out].sort();
}
