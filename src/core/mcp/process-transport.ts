import { spawn, type ChildProcess } from 'node:child_process';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { EDGE_BYTES, findJsonRpcId, tooLargeResponse } from './oversize';

/**
 * A stdio MCP transport that owns its process tree. Unlike the SDK's StdioClientTransport it
 * (1) starts the server in its own process group and kills the whole group (npx/uvx wrappers
 * leave grandchildren otherwise), (2) reports the exit on 'exit', not 'close', so in-flight
 * calls fail at once even when a grandchild keeps stdout open, (3) keeps the last stderr lines,
 * and (4) never buffers a message larger than `maxMessageBytes`: it is dropped while streaming
 * and, when its request id can be read, answered with a JSON-RPC error so the caller fails fast.
 */
export interface ProcessTransportOptions {
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
  cwd?: string;
  maxMessageBytes: number;
  stderrLines: number;
  /** From the SDK (vendor bundle): validates a line into a JSON-RPC message. */
  deserialize: (line: string) => JSONRPCMessage;
  serialize: (message: JSONRPCMessage) => string;
}

const posix = process.platform !== 'win32';

export class ProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private chunks: Buffer[] = [];
  private lineBytes = 0;
  private discarding = false;
  private head = '';
  private tail = Buffer.alloc(0);
  private readonly stderr: string[] = [];
  private stderrPartial = '';
  private closed = false;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(private readonly options: ProcessTransportOptions) {}

  get pid(): number | undefined { return this.child?.pid; }
  /** The last lines the server wrote to stderr (for the failed status). */
  get stderrTail(): string[] { return this.stderrPartial ? [...this.stderr, this.stderrPartial] : [...this.stderr]; }
  get exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined { return this.exitInfo; }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.command, this.options.args, {
        env: this.options.env, cwd: this.options.cwd, stdio: ['pipe', 'pipe', 'pipe'],
        detached: posix, shell: false, windowsHide: true,
      });
      this.child = child;
      child.once('error', (e) => { reject(e); this.onerror?.(e); this.finish(); });
      child.once('spawn', () => resolve());
      child.once('exit', (code, signal) => { this.exitInfo = { code, signal }; this.finish(); });
      child.stdout!.on('data', (b: Buffer) => this.onStdout(b));
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (s: string) => this.onStderr(s));
      child.stdin!.on('error', (e) => this.onerror?.(e));
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.closed) throw new Error('MCP server process is not running.');
    const data = this.options.serialize(message);
    if (!stdin.write(data)) await new Promise<void>((r) => stdin.once('drain', () => r()));
  }

  /** Ends stdin, then SIGTERM and finally SIGKILL to the whole process group. Resolves when the leader is gone. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((r) => { if (child.exitCode !== null || child.signalCode !== null) r(); else child.once('exit', () => r()); });
    const wait = (ms: number): Promise<boolean> => Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
    try { child.stdin?.end(); } catch { /* already closed */ }
    if (!(await wait(300))) {
      this.signalGroup('SIGTERM');
      if (!(await wait(1500))) this.signalGroup('SIGKILL');
      await wait(1000);
    }
    // Sweep grandchildren that outlived the leader (same process group).
    this.signalGroup('SIGKILL');
    this.finish();
  }

  /** Synchronous best effort for window close: SIGTERM the group now, SIGKILL shortly after. */
  killNow(): void {
    if (!this.child) return;
    this.signalGroup('SIGTERM');
    setTimeout(() => this.signalGroup('SIGKILL'), 1000).unref();
    this.finish();
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      if (posix) process.kill(-pid, signal);
      else this.child?.kill(signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }

  private onStderr(s: string): void {
    const parts = (this.stderrPartial + s).split(/\r?\n/);
    this.stderrPartial = (parts.pop() ?? '').slice(-2000);
    for (const line of parts) this.stderr.push(line.slice(0, 2000));
    if (this.stderr.length > this.options.stderrLines) this.stderr.splice(0, this.stderr.length - this.options.stderrLines);
  }

  private onStdout(buf: Buffer): void {
    let start = 0;
    for (let nl = buf.indexOf(0x0a, start); nl !== -1; nl = buf.indexOf(0x0a, start)) {
      this.append(buf.subarray(start, nl));
      this.endLine();
      start = nl + 1;
    }
    if (start < buf.length) this.append(buf.subarray(start));
  }

  private append(part: Buffer): void {
    if (part.length === 0) return;
    if (!this.discarding && this.lineBytes + part.length > this.options.maxMessageBytes) {
      this.discarding = true;
      this.head = Buffer.concat(this.chunks).subarray(0, EDGE_BYTES).toString('utf8');
      this.chunks = [];
    }
    this.lineBytes += part.length;
    if (this.discarding) this.tail = Buffer.concat([this.tail, part.subarray(-EDGE_BYTES)]).subarray(-EDGE_BYTES);
    else this.chunks.push(part);
  }

  private endLine(): void {
    const size = this.lineBytes;
    if (this.discarding) {
      const id = findJsonRpcId(this.head, this.tail.toString('utf8'));
      this.resetLine();
      const message = `MCP message too large: ${size} bytes (limit ${this.options.maxMessageBytes}); dropped before parsing.`;
      if (id !== undefined) {
        this.onmessage?.(tooLargeResponse(id, message));
      } else this.onerror?.(new Error(message));
      return;
    }
    const line = Buffer.concat(this.chunks).toString('utf8').replace(/\r$/, '');
    this.resetLine();
    if (line.trim() === '') return;
    try {
      this.onmessage?.(this.options.deserialize(line));
    } catch (e) {
      // Servers sometimes log to stdout; report it and keep the connection.
      this.onerror?.(new Error(`Ignored a non-JSON-RPC line from the server: ${line.slice(0, 200)} (${String(e)})`));
    }
  }

  private resetLine(): void {
    this.chunks = [];
    this.lineBytes = 0;
    this.discarding = false;
    this.head = '';
    this.tail = Buffer.alloc(0);
  }
}
