/**
 * Claude Code's matcher semantics and tool names. A matcher that is absent, "" or "*" matches
 * every tool; one made only of letters, digits, `_` and `|` is an exact name or a `|` list
 * ("Edit|Write"); anything else is a regular expression tested against the tool name
 * ("mcp__memory__.*", "Notebook.*"). Our tools answer to Claude Code's name for them (run_command
 * is Bash) and to their own; MCP tools keep their `mcp__server__tool` name.
 */
import * as path from 'node:path';

/** Claude Code's names for our built-in tools (the first is the one sent as `tool_name`). */
const CLAUDE_NAMES: Record<string, readonly string[]> = {
  run_command: ['Bash'],
  read_file: ['Read'],
  edit_file: ['Edit', 'MultiEdit'],
  write_file: ['Write'],
  search_text: ['Grep'],
  find_files: ['Glob'],
  list_dir: ['LS'],
  update_tasks: ['TodoWrite'],
  spawn_session: ['Task'],
};

/** The name `tool_name` carries for one of our calls (MultiEdit for an edit_file with several edits). */
export function claudeToolName(name: string, args: Record<string, unknown> = {}): string {
  if (name === 'edit_file') return Array.isArray(args.edits) && args.edits.length > 1 ? 'MultiEdit' : 'Edit';
  return CLAUDE_NAMES[name]?.[0] ?? name;
}

/** Every name a matcher may use for our tool `name`: Claude Code's and ours. */
export function toolAliases(name: string): string[] {
  return [...(CLAUDE_NAMES[name] ?? []), name];
}

/** Whether `matcher` selects a tool known as any of `names` (an invalid regular expression selects none). */
export function matcherMatches(matcher: string | undefined, names: readonly string[]): boolean {
  if (matcher === undefined || matcher === '' || matcher === '*') return true;
  if (/^[A-Za-z0-9_|]+$/.test(matcher)) {
    const list = matcher.split('|').map((s) => s.trim()).filter((s) => s !== '');
    return names.some((n) => list.includes(n));
  }
  let re: RegExp;
  try {
    re = new RegExp(matcher);
  } catch {
    return false;
  }
  return names.some((n) => re.test(n));
}

/**
 * The call's arguments as Claude Code's tool would have them (`file_path` absolute, Edit's
 * `old_string`/`new_string`, …) on top of ours, so published hook scripts read what they expect.
 */
export function claudeToolInput(name: string, args: Record<string, unknown>, root: string): Record<string, unknown> {
  const abs = (p: unknown): string | undefined => (typeof p === 'string' ? path.resolve(root, p) : undefined);
  const edits = Array.isArray(args.edits) ? args.edits as Record<string, unknown>[] : [];
  const claudeEdit = (e: Record<string, unknown>): Record<string, unknown> => ({
    old_string: e.oldText, new_string: e.newText, ...(e.replaceAll !== undefined ? { replace_all: e.replaceAll } : {}),
  });
  switch (name) {
    case 'run_command':
      return { ...args, ...(typeof args.timeoutSeconds === 'number' ? { timeout: args.timeoutSeconds * 1000 } : {}) };
    case 'read_file':
      return { ...args, file_path: abs(args.path) };
    case 'write_file':
      return { ...args, file_path: abs(args.path) };
    case 'edit_file':
      return edits.length === 1
        ? { path: args.path, file_path: abs(args.path), ...claudeEdit(edits[0]!) }
        : { path: args.path, file_path: abs(args.path), edits: edits.map(claudeEdit) };
    case 'list_dir':
      return { ...args, path: abs(args.path ?? '.') };
    case 'search_text': case 'find_files':
      return { ...args, ...(args.path !== undefined ? { path: abs(args.path) } : {}) };
    default:
      return { ...args };
  }
}
