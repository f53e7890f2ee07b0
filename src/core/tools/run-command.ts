import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { AgentError } from '../base/errors';
import { findSandboxRefusal, RefusalScanner, sandboxStartFailure } from '../sandbox/refusal';
import type { SandboxedSpawn } from '../sandbox/types';
import { CommandOutput, type FinishedOutput } from './command-output';
import { errorText, defineTool } from './define';
import { resolveWorkspacePath } from './workspace-paths';
import type { ToolContext, ToolDefinition, ToolResult } from './types';
import type { CommandWatch } from '../changes/types';

export interface RunCommandOptions {
  /** Default timeout, ms. Default 120 000. */
  defaultTimeoutMs?: number;
  /** Upper bound for a requested timeout, ms. Default 600 000. */
  maxTimeoutMs?: number;
  /** Characters kept from the start / end of the output. Default 10 000 / 20 000. */
  headChars?: number;
  tailChars?: number;
  /** Stop streaming to the UI after this many characters (the model still gets head+tail). Default 1 000 000. */
  maxStreamChars?: number;
  /** Grace between SIGTERM and SIGKILL, ms. Default 2000. */
  killGraceMs?: number;
  /** Shell used as `<shell> -c <command>`. Default /bin/sh. */
  shell?: string;
}

const schema = z.object({
  command: z.string().min(1).describe('Shell command line, run with /bin/sh -c.'),
  cwd: z.string().optional().describe('Working folder, relative to the workspace root. Default: the root.'),
  timeoutSeconds: z.number().positive().optional().describe('Kill the command after this many seconds. Default 120.'),
});
export type RunCommandArgs = z.infer<typeof schema>;

/** Signals the whole process group (negative pid); the shell's children die with it. */
function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone; fall back to the shell itself in case it was not a leader.
    try { child.kill(signal); } catch { /* already exited */ }
  }
}

/** The command's environment: no pager, no git prompt, and no CDPATH (it changes what `cd` does, which command analysis tracks). */
function commandEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PAGER: 'cat', GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0' };
  delete env.CDPATH;
  return env;
}

/** Prepares the sandboxed spawn, or the result to return instead: then the command does not run at all. */
async function prepareSandbox(ctx: ToolContext, shell: string, command: string, cwd: string): Promise<{ spawn?: SandboxedSpawn; refused?: ToolResult }> {
  if (!ctx.sandbox) return {};
  try {
    return { spawn: await ctx.sandbox.sandbox.prepare({ shell, command, cwd }, ctx.sandbox.policy) };
  } catch (e) {
    return {
      refused: {
        content: `The command did not run: the sandbox could not start (${errorText(e)}). It was not run outside the sandbox either; ask the user to fix the sandbox or to run the command themselves.`,
        isError: true,
      },
    };
  }
}

interface RunSpec {
  file: string;
  args: string[];
  cwd: string;
  timeoutMs: number;
  killGraceMs: number;
  maxStream: number;
  output: CommandOutput;
  scanner?: RefusalScanner;
}

interface RunOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  spawnError?: Error;
  reason?: 'timeout' | 'cancel';
}

/** Spawns in its own process group, streams and caps the output, kills the group on timeout or cancel. */
async function runProcess(spec: RunSpec, ctx: ToolContext): Promise<RunOutcome> {
  const { output, maxStream, scanner } = spec;
  const child = spawn(spec.file, spec.args, {
    cwd: spec.cwd,
    detached: true, // own process group (and session), so cancel and timeout kill the whole tree
    stdio: ['ignore', 'pipe', 'pipe'],
    env: commandEnv(),
  });
  let streamed = 0;
  const onChunk = (stream: 'out' | 'err') => (data: Buffer) => {
    const text = output.push(stream, data);
    if (output.backlogged) {
      // The spill file is behind: hold the pipes (the command blocks on a full pipe) until it catches up.
      child.stdout?.pause();
      child.stderr?.pause();
      void output.drained().then(() => { child.stdout?.resume(); child.stderr?.resume(); });
    }
    if (!text) return;
    scanner?.push(text);
    if (streamed < maxStream && output.looksBinary) {
      streamed = maxStream;
      ctx.onOutput('\n… binary output, not shown …\n');
    }
    if (streamed < maxStream) {
      const part = text.slice(0, maxStream - streamed);
      streamed += part.length;
      ctx.onOutput(part);
      if (streamed >= maxStream) ctx.onOutput('\n… output streaming stopped (too long); the result keeps the beginning and the end …\n');
    }
  };
  child.stdout?.on('data', onChunk('out'));
  child.stderr?.on('data', onChunk('err'));

  let reason: 'timeout' | 'cancel' | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  const stop = (why: 'timeout' | 'cancel') => {
    if (reason) return;
    reason = why;
    killTree(child, 'SIGTERM');
    graceTimer = setTimeout(() => killTree(child, 'SIGKILL'), spec.killGraceMs);
  };
  const timer = setTimeout(() => stop('timeout'), spec.timeoutMs);
  const onAbort = () => stop('cancel');
  ctx.signal.addEventListener('abort', onAbort, { once: true });

  const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; spawnError?: Error }>((resolve) => {
    let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let lingerTimer: NodeJS.Timeout | undefined;
    child.on('error', (e) => resolve({ code: null, signal: null, spawnError: e }));
    child.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      // A background process may keep the pipes open; don't wait for it forever.
      lingerTimer = setTimeout(() => { killTree(child, 'SIGKILL'); resolve(exitInfo!); }, 500);
    });
    child.on('close', (code, signal) => {
      if (lingerTimer) clearTimeout(lingerTimer);
      resolve(exitInfo ?? { code, signal });
    });
  });
  clearTimeout(timer);
  ctx.signal.removeEventListener('abort', onAbort);
  // The shell is gone; make sure nothing of its group survives, then stop the SIGKILL timer.
  if (reason) killTree(child, 'SIGKILL');
  if (graceTimer) clearTimeout(graceTimer);
  return { ...result, reason };
}

/** The output part of the result: the text (or why there is none) and where the full output went. */
function outputBody(o: FinishedOutput): string {
  if (o.binaryBytes !== undefined) {
    return `\nBinary output, ${o.binaryBytes.toLocaleString('en-US')} bytes; not shown. To look inside, redirect it to a file or pipe it through a tool such as \`xxd | head\` or \`file -\`.`;
  }
  const body = o.text ? `\n${o.text}` : '\n(no output)';
  return o.note ? `${body}\n\n${o.note}` : body;
}

/** Starts watching the workspace for the command's file changes (change ledger); never fails the command. */
async function beginWatch(ctx: ToolContext): Promise<CommandWatch | { error: string } | undefined> {
  if (!ctx.files) return undefined;
  try {
    return await ctx.files.watchCommand();
  } catch (e) {
    ctx.logger.warn(`run_command: watching the workspace failed: ${errorText(e)}`);
    return { error: errorText(e) };
  }
}

/** Names (and notes) shown in the result; the rest are counted. */
const LISTED_CHANGES = 20;
const LISTED_NOTES = 5;

/** Records what the command changed and says it in one short paragraph for the model (empty when nothing). */
async function finishWatch(watch: CommandWatch | { error: string } | undefined, ctx: ToolContext): Promise<string> {
  if (!watch) return '';
  if ('error' in watch) return `File changes made by this command were not tracked (${watch.error}).`;
  let found: { files: string[]; notes: string[] };
  try {
    found = await watch.finish();
  } catch (e) {
    ctx.logger.warn(`run_command: recording the command's file changes failed: ${errorText(e)}`);
    return `File changes made by this command could not be recorded (${errorText(e)}).`;
  }
  const lines: string[] = [];
  if (found.files.length > 0) {
    const listed = found.files.slice(0, LISTED_CHANGES).join(', ');
    const more = found.files.length > LISTED_CHANGES ? ` and ${found.files.length - LISTED_CHANGES} more` : '';
    lines.push(`Files changed by the command: ${listed}${more}.`);
  }
  if (found.notes.length > 0) {
    const more = found.notes.length > LISTED_NOTES ? `; and ${found.notes.length - LISTED_NOTES} more` : '';
    lines.push(`Not captured: ${found.notes.slice(0, LISTED_NOTES).join('; ')}${more}.`);
  }
  return lines.join('\n');
}

/**
 * `run_command`: a shell command in the workspace, its own process group, streamed, capped,
 * killable. With `ctx.sandbox` it runs inside that OS sandbox, or not at all when the sandbox
 * cannot start; what the sandbox refused is named in the result (`sandboxRefusal`).
 */
export function createRunCommandTool(options: RunCommandOptions = {}): ToolDefinition<RunCommandArgs> {
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 120_000;
  const maxTimeoutMs = options.maxTimeoutMs ?? 600_000;
  const killGraceMs = options.killGraceMs ?? 2000;
  const maxStream = options.maxStreamChars ?? 1_000_000;
  const shell = options.shell ?? '/bin/sh';
  const headChars = options.headChars ?? 10_000;
  const tailChars = options.tailChars ?? 20_000;

  /** Runs the command (sandboxed when asked) and words its outcome. */
  async function runInWorkspace(args: RunCommandArgs, ctx: ToolContext, cwd: string): Promise<ToolResult> {
    const timeoutMs = Math.min(maxTimeoutMs, args.timeoutSeconds !== undefined ? args.timeoutSeconds * 1000 : defaultTimeoutMs);
    const output = new CommandOutput({
      headChars, tailChars, callId: ctx.callId, ...(ctx.spill ? { spill: ctx.spill } : {}),
    });
    const sandbox = await prepareSandbox(ctx, shell, args.command, cwd);
    if (sandbox.refused) return sandbox.refused;
    const sandboxed = sandbox.spawn;
    const scanner = sandboxed ? new RefusalScanner() : undefined;
    const started = Date.now();
    let result: RunOutcome;
    try {
      ctx.signal.throwIfAborted(); // preparing awaited: a cancel may have come in meanwhile
      result = await runProcess({
        file: sandboxed?.file ?? shell, args: sandboxed?.args ?? ['-c', args.command],
        cwd, timeoutMs, killGraceMs, maxStream, output, scanner,
      }, ctx);
    } finally {
      await sandboxed?.cleanup(); // placeholders and profiles go, whatever happened
    }

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.spawnError || result.reason === 'cancel') await output.abandon();
    if (result.spawnError) return { content: `Could not start the command: ${result.spawnError.message}`, isError: true };
    if (result.reason === 'cancel') throw new AgentError('cancelled', `Command cancelled after ${seconds}s; its process tree was killed.`);
    const finished = await output.finish();
    const text = finished.text;
    const body = outputBody(finished);
    // After cleanup, so a placeholder that is gone again reads as "does not exist".
    const refusal = scanner && ctx.sandbox ? findSandboxRefusal(scanner.lines(), { cwd, policy: ctx.sandbox.policy }) : undefined;
    const startFailure = sandboxed ? sandboxStartFailure(text, result.code) : undefined;
    const note = [startFailure, refusal?.message].filter((m) => m !== undefined).map((m) => `\n\n${m}`).join('');
    const extra = refusal ? { sandboxRefusal: refusal } : {};
    if (result.reason === 'timeout') {
      return { content: `Command timed out after ${timeoutMs / 1000}s and was killed (with its child processes). Output so far:${body}${note}`, isError: true, ...extra };
    }
    const status = result.code !== null ? `Exit code ${result.code}` : `Killed by signal ${result.signal}`;
    return { content: `${status} (${seconds}s).${body}${note}`, isError: result.code !== 0, ...extra };
  }

  return defineTool({
    name: 'run_command',
    description: 'Run a shell command in the workspace (non-interactive, no stdin). Returns the exit code and the combined stdout/stderr as a terminal shows it; long output keeps its beginning and end, and the full output is saved to a file you can page with read_file. Default timeout 120 s.',
    schema,
    kind: 'command',
    // The output is bounded while it streams (head + tail in memory, the whole in the spill file):
    // the executor's cap is only the backstop, with room for the status line and the notes.
    maxOutputChars: headChars + tailChars + 2_000,
    async describe(args, ctx) {
      const cwd = await resolveWorkspacePath(args.cwd ?? '.', ctx.workspaceRoots).catch(() => undefined);
      const where = args.cwd ? ` (in ${args.cwd})` : '';
      return { summary: `run ${args.command}${where}`, target: args.command, cwd: cwd?.absolute, paths: cwd && args.cwd ? [cwd.absolute] : undefined };
    },
    async execute(args, ctx): Promise<ToolResult> {
      let cwd: string;
      try {
        cwd = (await resolveWorkspacePath(args.cwd ?? '.', ctx.workspaceRoots)).absolute;
        if (!(await fs.stat(cwd)).isDirectory()) return { content: `${args.cwd} is not a directory.`, isError: true };
      } catch (e) {
        return { content: `Cannot run in ${args.cwd ?? '.'}: ${errorText(e)}`, isError: true };
      }
      ctx.signal.throwIfAborted();
      // Before the sandbox is prepared and after it is cleaned up: its placeholders are not the command's changes.
      const watch = await beginWatch(ctx);
      let result: ToolResult | undefined;
      try {
        result = await runInWorkspace(args, ctx, cwd);
      } finally {
        const changed = await finishWatch(watch, ctx);
        if (result && changed) result = { ...result, content: `${result.content}\n\n${changed}` };
      }
      return result;
    },
  });
}
