/**
 * What a command printed, turned into what the model sees: progress frames collapsed, binary
 * reported by size, long output cut to head + tail with the full text spilled to a file that
 * read_file can page through. Memory stays bounded whatever the command prints.
 */
import { StringDecoder } from 'node:string_decoder';
import { BinarySniffer } from './binary-sniff';
import { HeadTailBuffer } from './output-cap';
import { TerminalLines } from './terminal-text';
import type { SpillInfo, SpillWriter, ToolOutputSpill } from './spill';

export interface CommandOutputOptions {
  /** Characters kept from the start / end of the (collapsed) output. */
  headChars: number;
  tailChars: number;
  /** Where the full output goes when it is longer than head + tail; absent: it is not kept. */
  spill?: ToolOutputSpill;
  /** Names the spill file. */
  callId: string;
}

/** The output, ready for the model. */
export interface FinishedOutput {
  /** Head + marker + tail (or everything), trimmed at the end; '' when binary. */
  text: string;
  /** Set when the output is binary: its size in bytes (nothing of it is shown or saved). */
  binaryBytes?: number;
  /** One paragraph about the cut and where the full output is; undefined when nothing was cut. */
  note?: string;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/**
 * Streams stdout and stderr (each its own UTF-8 decoder; one terminal, as they would share a
 * screen). Call `push` per chunk, then `finish` once.
 */
export class CommandOutput {
  private readonly decoders = { out: new StringDecoder('utf8'), err: new StringDecoder('utf8') };
  private readonly sniffer = new BinarySniffer();
  private readonly screen = new TerminalLines();
  private readonly buffer: HeadTailBuffer;
  private writer?: SpillWriter;
  private spillError?: unknown;
  private backlog = false;

  constructor(private readonly options: CommandOutputOptions) {
    this.buffer = new HeadTailBuffer(options.headChars, options.tailChars);
  }

  /** Feeds a raw chunk; returns it decoded (as it was printed, for the UI stream and scanners). */
  push(stream: 'out' | 'err', data: Buffer): string {
    this.sniffer.addBytes(data);
    const text = this.decoders[stream].write(data);
    this.sniffer.addDecoded(text);
    this.add(this.screen.push(text));
    return text;
  }

  /** The beginning already looks binary: stop streaming it to the UI. */
  get looksBinary(): boolean { return this.sniffer.looksBinaryEarly; }

  /** The spill file's write queue is full: pause the sources until `drained()`. */
  get backlogged(): boolean { return this.backlog; }

  drained(): Promise<void> {
    return (this.writer?.drained() ?? Promise.resolve()).then(() => { this.backlog = false; });
  }

  /** Flushes decoders and the last line, decides binary or text, closes or removes the spill file. */
  async finish(): Promise<FinishedOutput> {
    for (const d of Object.values(this.decoders)) {
      const rest = d.end();
      this.sniffer.addDecoded(rest);
      this.add(this.screen.push(rest));
    }
    this.add(this.screen.end());
    if (this.sniffer.binary) {
      await this.writer?.discard().catch(() => undefined); // nothing worth keeping either way
      return { text: '', binaryBytes: this.sniffer.total };
    }
    const range = this.buffer.omittedLines();
    const text = this.buffer.toString((n) => `\n… ${fmt(n)} characters omitted${range ? ` (lines ${fmt(range.first)}–${fmt(range.last)} of the full output)` : ''} …\n`).trimEnd();
    if (!range) {
      await this.writer?.discard().catch(() => undefined); // opened, then nothing was cut after all
      return { text };
    }
    return { text, note: await this.spillNote() };
  }

  /** Drops the output (the call was cancelled or never ran): a spill file already begun is removed. */
  async abandon(): Promise<void> {
    await this.writer?.discard().catch(() => undefined); // best effort: the call's result says what happened
    this.writer = undefined;
  }

  private add(text: string): void {
    if (!text) return;
    if (!this.writer && this.options.spill && this.spillError === undefined && this.buffer.length + text.length > this.buffer.capacity) {
      // Nothing has been dropped yet, so the buffer still holds all of it.
      try {
        this.writer = this.options.spill.open(this.options.callId);
        this.writer.write(this.buffer.toString());
      } catch (e) {
        this.spillError = e;
      }
    }
    if (this.writer && !this.writer.write(text)) this.backlog = true;
    this.buffer.append(text);
  }

  private async spillNote(): Promise<string> {
    if (!this.writer) {
      return this.spillError === undefined
        ? 'The omitted middle was not saved (no storage for tool output here).'
        : `The omitted middle was not saved: ${errorMessage(this.spillError)}`;
    }
    let info: SpillInfo;
    try {
      info = await this.writer.close();
    } catch (e) {
      await this.writer.discard().catch(() => undefined); // a half-written file would mislead
      return `The omitted middle was not saved: ${errorMessage(e)}`;
    }
    const what = info.truncated
      ? `The first ${fmt(info.bytes)} bytes of the output (${fmt(info.lines)} lines) are`
      : `The full output (${fmt(info.lines)} lines, ${fmt(info.bytes)} bytes) is`;
    return `${what} saved in ${info.path}. Read any part with read_file (path, startLine, endLine).`;
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
