/**
 * What workspace knowledge adds to a session beyond rules files and skills: questions an MCP
 * server asks (elicitation, sampling), hooks that ran, rules attached on the way, tool costs,
 * custom agents and memory. Plain JSON shared by core, the host and the webview.
 */

/** A JSON value a user typed into an elicitation form. */
export type ElicitValue = string | number | boolean | string[];

/**
 * An MCP server asks something while one of its tools runs (or at any time): `elicitation`, a
 * question for the user (a message and, in form mode, a flat JSON Schema of fields); `sampling`, a
 * completion the server wants from the session's model, which runs only after the user approves.
 * Shown as a card like an approval; the session waits (`awaiting_approval`) until it is answered.
 */
export interface PendingQuestion {
  id: string;
  sessionId: string;
  /** The MCP server's name (as configured). */
  server: string;
  kind: 'elicitation' | 'sampling';
  /** The tool call it belongs to, when one of the server's tools was running. */
  callId?: string;
  /** Elicitation: the server's message. Sampling: a readable summary of what it asks. */
  message: string;
  /** Elicitation (form mode): the requested schema (`{ type: 'object', properties, required }`). */
  schema?: Record<string, unknown>;
  /** Elicitation (url mode): the URL the server wants the user to open. */
  url?: string;
  /** Sampling: the request, for the card (messages as text, the system prompt, the token cap). */
  sampling?: { messages: { role: 'user' | 'assistant'; text: string }[]; systemPrompt?: string; maxTokens: number };
  requestedAt: number;
}

/** How a question was answered. `cancel`: dismissed, or the turn/call ended first (`by: 'system'`). */
export interface QuestionAnswer {
  action: 'accept' | 'decline' | 'cancel';
  /** Elicitation accepted: the form's values. */
  content?: Record<string, ElicitValue>;
  /** Sampling accepted: the model's answer sent back to the server (for the card). */
  text?: string;
  by: 'user' | 'system';
}

/** The Claude Code hook events we run (src/core/hooks). */
export type HookEventName = 'PreToolUse' | 'PostToolUse' | 'UserPromptSubmit' | 'Stop' | 'SessionStart';

/**
 * What a hook did. `allow`/`deny`/`ask`: a PreToolUse decision; `context`: it added context for the
 * model; `blocked`: a UserPromptSubmit/Stop hook blocked (exit code 2 or `decision: "block"`);
 * `ok`: ran, no effect; `error`: failed (non-zero exit, bad JSON; the tool goes on); `timeout`;
 * `unapproved`: not run because the user has not approved this hook's command (its content hash).
 */
export type HookOutcome = 'allow' | 'deny' | 'ask' | 'context' | 'blocked' | 'ok' | 'error' | 'timeout' | 'unapproved';

/** A hook run as the tool card and the transcript show it. */
export interface HookRunInfo {
  hookEvent: HookEventName;
  command: string;
  /** Where it is configured: `.claude/settings.json` or `.claude/settings.local.json` (workspace-relative). */
  source: string;
  outcome: HookOutcome;
  durationMs: number;
  /** The reason it gave, or its stderr tail when it failed. */
  message?: string;
}

/** A rules file added to the session's context on the way (not at the start). */
export interface AttachedRule {
  /** The rules file's id (KnowledgeRulesFile.id). */
  id: string;
  relativePath: string;
  /**
   * `path`: a nested AGENTS.md/CLAUDE.md/GEMINI.md governs a file the session read or edited;
   * `glob`: a Cursor rule's globs match such a file; `requested`: the model asked for it (read_file).
   */
  reason: 'path' | 'glob' | 'requested';
  /** The file that brought it in (workspace-relative), for path and glob. */
  trigger?: string;
}

/** One tool's share of every request (its definition, estimated tokens). */
export interface ToolCost {
  name: string;
  /** The MCP server it comes from (absent: built-in or engine tool). */
  server?: string;
  tokens: number;
  /** Switched off for this session (config.disabledTools). */
  disabled: boolean;
  /**
   * Not sent until the model loads it with `search_tools` (the server's tool set is over the
   * budget); `loaded`: it did in this session.
   */
  deferred?: boolean;
  loaded?: boolean;
  /** Its input schema could not be compiled: every call fails saying so (shown in the Context panel). */
  schemaProblem?: string;
}

/** The tool definitions' cost against the budget (the Context panel warns past it). */
export interface ToolBudgetInfo {
  /** Tokens of the tool definitions sent with each request now. */
  sentTokens: number;
  /** Tokens of every enabled tool's definition (what would be sent without on-demand loading). */
  allTokens: number;
  /** The warning threshold, tokens. */
  budget: number;
  /** On-demand loading is on (search_tools offered, large servers' definitions deferred). */
  onDemand: boolean;
  tools: ToolCost[];
}

/** A custom agent (`.github/agents/*.agent.md`, `.claude/agents/*.md`) offered for new and child sessions. */
export interface CustomAgentInfo {
  /** Unique: the front-matter name, else the file name without its extension. */
  name: string;
  description: string;
  /** Workspace-relative (or ~/ for user agents) path of its file. */
  source: string;
  scope: 'workspace' | 'user';
  /** Tools it may use (our names, after mapping Claude Code / Copilot names); absent: all. */
  tools?: string[];
  /** Names in its `tools` we do not have (shown, not fatal); `!name`: one of its `disallowedTools`. */
  unknownTools?: string[];
  /** With `tools` absent: tools it may not use (Claude Code `disallowedTools`, our names). */
  deniedTools?: string[];
  /** Model it asks for (as written; the host maps it to a profile model or ignores it with a note). */
  model?: string;
}

/** The agent a session runs as (recorded in its config, so a reopened session behaves the same). */
export interface SessionAgent {
  name: string;
  source: string;
  /** The agent file's body: added to the system prompt. */
  prompt: string;
}

/** One memory entry (a bullet of the memory file). */
export interface MemoryEntry {
  id: string;
  text: string;
  /** Optional heading it sits under (a topic). */
  topic?: string;
  createdAt?: number;
  /** The session that wrote it. */
  sessionId?: string;
}

/** What the memory added to a session's context. */
export interface MemoryInfo {
  /** Absolute path of the memory file (the user can open and edit it). */
  path: string;
  entries: number;
  /** Entries put in the context (the most relevant within the budget). */
  included: number;
  chars: number;
}
