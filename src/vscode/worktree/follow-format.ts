/**
 * What the "commands" terminal of a session shows, as terminal text (CRLF line ends, SGR
 * colours): `$ <command>` for each run_command, its streamed output, its exit line. Output
 * keeps colours and cursor moves but loses the escape strings a terminal would act on outside
 * the screen (titles, hyperlinks, clipboard writes: OSC, DCS, APC, PM, SOS), because it comes
 * from commands a model chose. No vscode import (unit-tested).
 */
import type { ToolRecord, TranscriptRecord } from '../../shared/transcript';

export const FOLLOWED_TOOL = 'run_command';
/** Commands replayed when the terminal opens. */
export const REPLAY_COMMANDS = 5;

const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';
const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const RESET = '\x1b[0m';

/** LF → CRLF (a lone CR stays: progress bars rewrite their line). */
export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** Control characters of text a model wrote (a command line), made visible instead of acted on. */
function visible(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this replaces
  return text.replace(/\r?\n/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, (c) => `^${String.fromCharCode((c.charCodeAt(0) + 64) % 128)}`);
}

export function hintLine(title: string): string {
  return `${DIM}Read-only: this terminal follows the commands that "${visible(title)}" runs. Agent Sessions: Open Terminal gives you a shell in its folder.${RESET}\r\n`;
}

/** `$ npm test` (bold), `(in packages/a)` when it ran elsewhere; a multi-line command continues with `> `. */
export function commandLine(args: Record<string, unknown>): string {
  const command = typeof args.command === 'string' ? args.command : '(no command)';
  const where = typeof args.cwd === 'string' && args.cwd !== '' && args.cwd !== '.' ? ` ${DIM}(in ${visible(args.cwd)})${RESET}` : '';
  return `\r\n${BOLD}$ ${visible(command).split('\n').join(`\r\n> `)}${RESET}${where}\r\n`;
}

export interface CompletedCommand {
  content: string;
  isError: boolean;
  durationMs?: number;
  interrupted?: boolean;
}

/** The exit line: "exit 0 · 1.2 s" (green), anything else red; a refused call says why in a few words. */
export function exitLine(c: CompletedCommand): string {
  const first = c.content.split('\n', 1)[0] ?? '';
  const code = /^Exit code (-?\d+)/.exec(first);
  const signal = /^Killed by signal (\w+)/.exec(first);
  const timeout = /^Command timed out after ([\d.]+)s/.exec(first);
  let what: string;
  if (c.interrupted) what = 'interrupted';
  else if (code) what = `exit ${code[1]}`;
  else if (signal) what = `killed by ${signal[1]}`;
  else if (timeout) what = `timed out after ${timeout[1]} s`;
  else what = c.isError ? `not run: ${visible(first.length > 160 ? `${first.slice(0, 159)}…` : first)}` : 'done';
  const ok = !c.isError && !c.interrupted;
  const time = c.durationMs !== undefined && (code || signal) ? ` · ${(c.durationMs / 1000).toFixed(1)} s` : '';
  return `${ok ? GREEN : RED}[${what}${time}]${RESET}\r\n`;
}

export function waitingLine(): string {
  return `${DIM}(waiting for approval)${RESET}\r\n`;
}

/** Escape strings a terminal acts on outside the screen: ESC ] (OSC), P (DCS), X (SOS), ^ (PM), _ (APC). */
const STRING_INTRODUCERS = new Set([']', 'P', 'X', '^', '_']);
/** An escape string longer than this without its end is dropped as it stands. */
const MAX_PENDING = 4096;

/**
 * Streams output chunks to terminal text: CRLF line ends, escape strings removed (a chunk may end
 * inside one: it is held until the next). 8-bit C1 introducers are removed as well.
 */
export class OutputSanitizer {
  private pending = '';
  /** Inside an escape string that overflowed MAX_PENDING: dropping until its end. */
  private dropping = false;

  push(chunk: string): string {
    let text = this.pending + chunk.replace(/[\u0090\u0098\u009d\u009e\u009f]/g, '');
    this.pending = '';
    let out = '';
    if (this.dropping) {
      const end = stringEnd(text, 0);
      if (end < 0) return '';
      this.dropping = false;
      text = text.slice(end);
    }
    let i = 0;
    while (i < text.length) {
      const esc = text.indexOf('\x1b', i);
      if (esc < 0) { out += text.slice(i); break; }
      out += text.slice(i, esc);
      const next = text[esc + 1];
      if (next === undefined) { this.pending = '\x1b'; break; }
      if (!STRING_INTRODUCERS.has(next)) { out += '\x1b'; i = esc + 1; continue; }
      const end = stringEnd(text, esc + 2);
      if (end < 0) {
        if (text.length - esc > MAX_PENDING) this.dropping = true;
        else this.pending = text.slice(esc);
        break;
      }
      i = end;
    }
    return crlf(out);
  }
}

/** Index after the BEL or ESC \ that ends an escape string starting at `from`; -1 when not in `text` yet. */
function stringEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\x07') return i + 1;
    if (text[i] === '\x1b') {
      if (i + 1 >= text.length) return -1;
      if (text[i + 1] === '\\') return i + 2;
    }
  }
  return -1;
}

const FINISHED: ReadonlySet<ToolRecord['status']> = new Set(['done', 'error', 'denied', 'interrupted']);

export interface Replay {
  text: string;
  /** Call ids of replayed commands still going (their live output follows). */
  running: string[];
}

/** The last `max` run_command calls of a transcript page, as the terminal would have shown them. */
export function replayCommands(records: readonly TranscriptRecord[], max = REPLAY_COMMANDS): Replay {
  const tools = records.filter((r): r is ToolRecord => r.kind === 'tool' && r.name === FOLLOWED_TOOL).slice(-max);
  if (tools.length === 0) return { text: '', running: [] };
  let text = `${DIM}— the last ${tools.length === 1 ? 'command' : `${tools.length} commands`} —${RESET}\r\n`;
  const running: string[] = [];
  for (const t of tools) {
    text += commandLine(t.args);
    const finished = FINISHED.has(t.status);
    if (t.output) text += new OutputSanitizer().push(t.output) + (finished && !t.output.endsWith('\n') ? '\r\n' : '');
    if (finished) {
      text += exitLine({
        content: t.result ?? (t.status === 'denied' ? 'Denied.' : ''), isError: t.status !== 'done',
        ...(t.durationMs !== undefined ? { durationMs: t.durationMs } : {}), ...(t.status === 'interrupted' ? { interrupted: true } : {}),
      });
    } else {
      if (t.status === 'awaiting_approval') text += waitingLine();
      running.push(t.callId);
    }
  }
  return { text, running };
}
