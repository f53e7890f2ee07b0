import picomatch from 'picomatch';

/**
 * Permission rule patterns:
 *   `read_file`                 the tool, any arguments
 *   `edit_file(src/**)`         a path glob, relative to the workspace (picomatch)
 *   `run_command(npm test:*)`   a command prefix at a word boundary (`npm test`, `npm test -- -w`, not `npm testx`)
 *   `run_command(git status)`   an exact command (see command-rules.ts and COMMANDS.md)
 *   `mcp__github__*`, `*`       tool-name globs
 */
export interface RulePattern {
  raw: string;
  /** Tool-name glob (`*` matches any run of characters). */
  tool: string;
  /** The part in parentheses, if any. */
  arg?: string;
}

const RULE = /^([A-Za-z0-9_.*-]+)(?:\((.*)\))?$/s;

/** Parses a rule pattern; undefined when it is malformed (such rules never match). */
export function parseRulePattern(pattern: string): RulePattern | undefined {
  const m = RULE.exec(pattern.trim());
  if (!m) return undefined;
  const arg = m[2]?.trim();
  return { raw: pattern.trim(), tool: m[1], arg: arg === undefined || arg === '' || arg === '*' || arg === '**' ? undefined : arg };
}

function wildcardToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

/** Whether a rule's tool part names `toolName`. */
export function matchesToolName(rule: RulePattern, toolName: string): boolean {
  return rule.tool === toolName || (rule.tool.includes('*') && wildcardToRegExp(rule.tool).test(toolName));
}

/**
 * Whether a path rule argument matches a target. `relative` is the workspace-relative path
 * (posix) or undefined when the target is outside the workspace; `absolute` is always given.
 */
export function matchesPath(arg: string | undefined, relative: string | undefined, absolute: string): boolean {
  if (arg === undefined) return true;
  const isAbs = arg.startsWith('/');
  const subject = isAbs ? absolute : relative;
  if (subject === undefined) return false;
  const glob = isAbs ? arg : arg.replace(/^\.\//, '');
  return picomatch(glob, { dot: true })(subject) || (glob.endsWith('/**') && subject === glob.slice(0, -3));
}

/** Whether a rule argument matches a plain string target (MCP tools and other kinds). */
export function matchesText(arg: string | undefined, target: string | undefined): boolean {
  if (arg === undefined) return true;
  if (target === undefined) return false;
  return arg.includes('*') ? wildcardToRegExp(arg).test(target) : arg === target;
}

/**
 * True when the rule names `relative` literally (no wildcard standing in for it):
 * `edit_file(.vscode/settings.json)` names it; `edit_file(**)`, `edit_file(.vscode/*)` do not.
 */
export function namesPathExplicitly(rule: RulePattern, relative: string | undefined, absolute: string): boolean {
  if (rule.arg === undefined) return false;
  const arg = rule.arg.replace(/^\.\//, '');
  if (arg === relative || arg === absolute) return true;
  // A folder named literally covers what is under it: `edit_file(.claude/**)` names `.claude/x`.
  const folder = arg.endsWith('/**') ? arg.slice(0, -3) : undefined;
  if (folder && !folder.includes('*')) return relative !== undefined ? relative.startsWith(folder + '/') : absolute.startsWith(folder + '/');
  return false;
}
