import type { JsonSchema, ToolSpec } from '../providers/types';
import type { Logger } from '../ports';
import type { TaskItem } from '../session/types';
import type { CommandSandbox, SandboxPolicy, SandboxRefusal } from '../sandbox/types';
import type { ToolOutputSpill } from './spill';
import type { SessionFiles } from '../changes/types';
import type { EditPrecondition } from '../changes/file-state';
export type { EditPrecondition };

/**
 * What a tool does to the world, used by permission modes:
 * read → allowed in every mode; edit → asks in `ask`, allowed in `auto-edit`/`full`, denied in `plan`;
 * command → asks in `ask`/`auto-edit`, denied in `plan`; other → allowed (e.g. update_tasks);
 * mcp → asks unless a rule allows it.
 */
export type ToolKind = 'read' | 'edit' | 'command' | 'mcp' | 'other';

export type ValidationResult<A> = { ok: true; value: A } | { ok: false; error: string };

/**
 * How a call looks to the permission engine and to the user:
 * `target` is what rule patterns match (a workspace-relative path, a command line, …).
 */
export interface ToolCallDescription {
  /** One readable line, e.g. "edit src/a.ts (2 replacements)". */
  summary: string;
  /** Pattern-matching subject for rules `tool(target)`; undefined = match on the tool name only. */
  target?: string;
  /** Every path the call touches (absolute, resolved); used for sensitive-target and outside-workspace checks. */
  paths?: string[];
  /** For commands: the absolute working folder (write redirections are resolved against it). */
  cwd?: string;
  /** Unified diff for edits (current vs proposed). */
  diff?: string;
  /** For edits: full current and proposed text, so the host can open a diff editor. */
  proposed?: { path: string; before: string; after: string };
  /**
   * For edits: the state of the target the diff was computed from (`sha256:<hex>` of its bytes,
   * or `absent`). The executor hands it to `execute` as {@link ToolContext.precondition}, so what
   * is written is what was shown (and approved).
   */
  precondition?: string;
}

/** Passed to every tool execution. */
export interface ToolContext {
  sessionId: string;
  callId: string;
  /** Absolute workspace folders; paths outside them are refused. */
  workspaceRoots: readonly string[];
  /** Aborted on cancel: tools stop and kill child processes. */
  signal: AbortSignal;
  /** Streams partial output (e.g. command output) to the UI as `tool.output` events. */
  onOutput(chunk: string): void;
  /** The session's task list (update_tasks replaces it). */
  tasks: {
    get(): TaskItem[];
    set(tasks: TaskItem[]): void;
  };
  logger: Logger;
  /** For command tools: run inside this OS sandbox with this policy (absent = not sandboxed). */
  sandbox?: { sandbox: CommandSandbox; policy: SandboxPolicy };
  /**
   * The session's spill folder: the full output of a call too long to return whole is saved there,
   * and read_file may read those files (only this session's). Absent: long output is only capped.
   */
  spill?: ToolOutputSpill;
  /**
   * For edits: the target must still be in this state, or the tool writes nothing and returns an
   * error (the file changed since the change was shown). Absent: no check (direct tool use).
   */
  precondition?: EditPrecondition;
  /**
   * The session's file changes (change ledger): file tools change files through it (stale-write
   * guard, per-path lock, `file.changed` with pre/post images); run_command watches the workspace
   * with it. Absent: tools write directly and nothing is recorded (plain tool tests).
   */
  files?: SessionFiles;
  /** Reports progress (MCP `notifications/progress`): recorded, throttled, as `tool.progress` for the card. */
  onProgress?(progress: { progress: number; total?: number; message?: string }): void;
  /**
   * What the session answers when the MCP server behind this call asks something while it runs
   * (server → client requests). Absent: the server's questions are declined.
   */
  serverRequests?: ServerRequestHandlers;
  /**
   * Loads deferred tool definitions (search_tools, or a deferred tool called by name): recorded as
   * `tools.loaded`, sent from the next request on. Returns false when nothing could be recorded.
   */
  loadTools?(names: string[]): boolean;
  /** remember / forget changed the workspace memory: recorded as `memory.changed` of this call. Absent: not recorded (plain tool tests). */
  memoryChanged?(change: MemoryChange): void;
}

/** One memory write as a tool reports it (the session adds the call id). */
export interface MemoryChange {
  entryId: string;
  action: 'added' | 'updated' | 'removed';
  text: string;
  memoryPath: string;
  previousText?: string;
  topic?: string;
}

/** An MCP server's elicitation request, as the session shows it. */
export interface ElicitRequest {
  server: string;
  message: string;
  /** Form mode: the requested schema (flat object of primitive fields). */
  schema?: Record<string, unknown>;
  /** URL mode: the URL to open. */
  url?: string;
}

/** An MCP server's sampling request (createMessage), text only. */
export interface SampleRequest {
  server: string;
  messages: { role: 'user' | 'assistant'; text: string }[];
  systemPrompt?: string;
  maxTokens: number;
  temperature?: number;
  stopSequences?: string[];
}

/** The session's side of server → client requests made during one tool call. */
export interface ServerRequestHandlers {
  /** Asks the user (a question card); resolves when answered, declined or cancelled (turn ended, `signal`). */
  elicit(req: ElicitRequest, signal: AbortSignal): Promise<{ action: 'accept' | 'decline' | 'cancel'; content?: Record<string, string | number | boolean | string[]> }>;
  /** Asks the user to approve, then runs the request on the session's model (its cost counted in the session). */
  sample(req: SampleRequest, signal: AbortSignal): Promise<{ action: 'accept'; text: string; model: string; stopReason: 'endTurn' | 'maxTokens' | 'stopSequence' } | { action: 'decline' | 'cancel' }>;
}

export interface ToolResult {
  /** What the model sees. The executor caps it to the tool's `maxOutputChars`; tools need not. */
  content: string;
  isError?: boolean;
  /** The sandbox refused something the command tried (a protected write, the network). */
  sandboxRefusal?: SandboxRefusal;
}

/** A tool: opencode's shape (id, description, schema, execute(args, ctx)). */
export interface ToolDefinition<A = Record<string, unknown>> {
  name: string;
  description: string;
  inputSchema: JsonSchema;
  kind: ToolKind;
  /**
   * Changes nothing (files, processes, session state): the call may run at the same time as the
   * other read-only calls of its message. Absent = not known read-only: runs alone, in call order.
   */
  readOnly?: boolean;
  /**
   * Set on MCP tools: the server and the tool's own name there, and why its input schema could
   * not be compiled (every call then fails saying so; the Context panel shows it).
   */
  mcp?: { server: string; tool: string; schemaProblem?: string };
  /** Most characters of one result the model sees; the executor keeps the head and tail of a longer one. Default 30 000 (`DEFAULT_OUTPUT_CHARS`). */
  maxOutputChars?: number;
  /** Validates raw model arguments. Errors are messages written for the model. */
  validate(args: unknown): ValidationResult<A>;
  /** Describes a validated call for permission matching and approval cards. May read files. */
  describe(args: A, ctx: Pick<ToolContext, 'workspaceRoots' | 'sessionId' | 'spill'>): Promise<ToolCallDescription>;
  execute(args: A, ctx: ToolContext): Promise<ToolResult>;
}

/** Type-erased tool for registries. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool = ToolDefinition<any>;

/** Registry of tools available to sessions (built-ins, MCP tools, spawn_session …). */
export interface ToolRegistryLike {
  get(name: string): AnyTool | undefined;
  list(): AnyTool[];
  /** Specs for the model, filtered by a session allowlist (undefined = all). */
  specs(allowed?: readonly string[]): ToolSpec[];
}
