/**
 * Output caps shared by every tool: huge outputs are cut to a head and a tail with the
 * number of omitted characters in between, so they never reach the model or the log whole.
 */

/** Default cap for what one tool call returns to the model, in characters. */
export const DEFAULT_OUTPUT_CHARS = 30_000;

export interface CapOptions {
  /** Maximum characters kept (head + tail + marker stay within roughly this). */
  maxChars?: number;
  /** Share of the budget given to the head (0..1). Default 0.5. */
  headShare?: number;
}

/** The marker placed where text was cut, e.g. "… 12,345 characters omitted …". */
export function omittedMarker(count: number, unit = 'characters'): string {
  return `\n… ${count.toLocaleString('en-US')} ${unit} omitted …\n`;
}

/**
 * Keeps the head and tail of `text` within `maxChars`; the middle becomes a marker with the
 * omitted count. Text within the cap is returned unchanged.
 */
export function capText(text: string, options: CapOptions = {}): string {
  const maxChars = Math.max(16, options.maxChars ?? DEFAULT_OUTPUT_CHARS);
  if (text.length <= maxChars) return text;
  const headShare = Math.min(1, Math.max(0, options.headShare ?? 0.5));
  const headLen = Math.floor(maxChars * headShare);
  const tailLen = maxChars - headLen;
  const omitted = text.length - headLen - tailLen;
  return text.slice(0, headLen) + omittedMarker(omitted) + (tailLen > 0 ? text.slice(text.length - tailLen) : '');
}

/** Number of `\n` in `s`. */
export function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Accumulates a stream (e.g. command output) in bounded memory: the first `headChars` and the
 * last `tailChars` characters are kept, everything between is only counted (characters and lines).
 */
export class HeadTailBuffer {
  private head = '';
  private tail = '';
  private omitted = 0;
  private total = 0;
  private newlines = 0;

  constructor(private readonly headChars: number, private readonly tailChars: number) {}

  append(chunk: string): void {
    this.total += chunk.length;
    this.newlines += countNewlines(chunk);
    if (this.head.length < this.headChars) {
      const take = Math.min(chunk.length, this.headChars - this.head.length);
      this.head += chunk.slice(0, take);
      chunk = chunk.slice(take);
      if (!chunk) return;
    }
    this.tail += chunk;
    if (this.tail.length > this.tailChars) {
      const drop = this.tail.length - this.tailChars;
      this.omitted += drop;
      this.tail = this.tail.slice(drop);
    }
  }

  /** Total characters seen. */
  get length(): number { return this.total; }

  /** Characters dropped from the middle. */
  get omittedCount(): number { return this.omitted; }

  /** Characters kept before anything is dropped (head + tail). */
  get capacity(): number { return this.headChars + this.tailChars; }

  /**
   * The 1-based lines the omitted middle touches (the first and last may be partly shown), or
   * undefined when nothing was omitted.
   */
  omittedLines(): { first: number; last: number } | undefined {
    if (this.omitted === 0) return undefined;
    return { first: countNewlines(this.head) + 1, last: this.newlines - countNewlines(this.tail) + 1 };
  }

  /** Head, marker, tail. `marker` words the cut (default: {@link omittedMarker}). */
  toString(marker: (omitted: number) => string = omittedMarker): string {
    return this.omitted > 0 ? this.head + marker(this.omitted) + this.tail : this.head + this.tail;
  }
}

/** Caps a list of lines: keeps the first `maxLines` and says how many more there were. */
export function capLines(lines: readonly string[], maxLines: number, unit = 'more results'): string[] {
  if (lines.length <= maxLines) return [...lines];
  return [...lines.slice(0, maxLines), `… ${(lines.length - maxLines).toLocaleString('en-US')} ${unit} omitted …`];
}
