/**
 * Command output as a terminal would show it, for the model: a line rewritten with carriage
 * returns (progress bars) keeps only its last state instead of every frame.
 */

/** Longest line kept in memory while it can still be rewritten; longer lines are passed on as they are. */
const MAX_LINE_CHARS = 64 * 1024;
/** Escape sequences are interpreted only up to this length (longer "sequences" are text). */
const MAX_SEQ_CHARS = 256;

// eslint-disable-next-line no-control-regex -- these control characters are what this file is about
const SPECIAL = /[\n\r\b\x1b]/g;
// eslint-disable-next-line no-control-regex
const CSI = /^\x1b\[([0-9;?]*)([@-~])/;
/** Operating-system commands (window titles, hyperlinks), ended by BEL or ESC \. */
// eslint-disable-next-line no-control-regex
const OSC = /^\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/;

/**
 * Streams text through a one-line terminal model. Chunks may split anything (a `\r\n`, a control
 * sequence): what cannot be decided yet is held until the next chunk. Semantics:
 * - `\n` ends the line; `\r\n` is a newline (its `\r` does nothing);
 * - `\r` moves to column 0, so what follows overwrites the line ("abcdef\rxy" shows "xycdef");
 * - `\b` moves one column left; `ESC[K` / `ESC[0K` erase to the end of the line, `ESC[2K` the whole line;
 * - other CSI sequences (colours, cursor moves) and OSC sequences (titles) are dropped: they are not text on a screen;
 * - a rewritten line loses trailing blanks (progress bars pad with spaces to erase).
 * Memory is bounded: a line longer than MAX_LINE_CHARS is emitted as it stands and a new one begins.
 */
export class TerminalLines {
  private line = '';
  private col = 0;
  private rewritten = false;
  /** Undecided input carried to the next chunk: a lone `\r` or a started escape sequence. */
  private pending = '';

  /** Feeds a chunk; returns the text of the lines it completed (each ending with `\n`). */
  push(chunk: string): string {
    const text = this.pending + chunk;
    this.pending = '';
    // Three indexOf scans are much faster than one character-class regex over long chunks.
    if (text.indexOf('\r') === -1 && text.indexOf('\x1b') === -1 && text.indexOf('\b') === -1) return this.plain(text);
    let out = '';
    let i = 0;
    SPECIAL.lastIndex = 0;
    for (let m = SPECIAL.exec(text); m; m = SPECIAL.exec(text)) {
      const at = m.index;
      if (at > i) out += this.write(text.slice(i, at));
      const c = text[at];
      i = at + 1;
      if (c === '\n') {
        out += this.endLine();
      } else if (c === '\r') {
        if (at + 1 >= text.length) { this.pending = '\r'; return out; }
        if (text[at + 1] === '\n') continue; // CRLF: the \n ends the line
        this.col = 0;
        this.rewritten = true;
      } else if (c === '\b') {
        this.col = Math.max(0, this.col - 1);
      } else {
        const rest = text.slice(at, at + MAX_SEQ_CHARS);
        const seq = CSI.exec(rest) ?? OSC.exec(rest);
        if (!seq) {
          // Possibly a sequence cut by the chunk boundary: wait for more, unless it cannot be one.
          if (text.length - at < MAX_SEQ_CHARS && /^\x1b(\[[0-9;?]*|\][^\x07\x1b]*)?$/.test(rest)) { this.pending = rest; return out; } // eslint-disable-line no-control-regex
          continue; // a lone ESC: dropped
        }
        if (seq[0][1] === '[') this.control(seq[1], seq[2]);
        i = at + seq[0].length;
        SPECIAL.lastIndex = i;
      }
    }
    if (i < text.length) out += this.write(text.slice(i));
    return out;
  }

  /** The last, unterminated line (if any); call once at the end of the stream. */
  end(): string {
    const pending = this.pending;
    this.pending = '';
    // A trailing lone \r moves the cursor and nothing more; a cut escape sequence is dropped.
    if (pending === '\r') { this.col = 0; this.rewritten = true; }
    const last = this.rewritten ? this.line.trimEnd() : this.line;
    this.line = '';
    this.col = 0;
    this.rewritten = false;
    return last;
  }

  /** Fast path for text without \r, \b or ESC: lines between the first and last newline pass through whole. */
  private plain(text: string): string {
    const first = text.indexOf('\n');
    if (first === -1) return this.write(text);
    const last = text.lastIndexOf('\n');
    let out = this.write(text.slice(0, first));
    out += this.endLine();
    if (last > first) out += text.slice(first + 1, last + 1);
    return out + this.write(text.slice(last + 1));
  }

  private write(s: string): string {
    if (this.col === this.line.length) this.line += s;
    else if (this.col > this.line.length) this.line = this.line.padEnd(this.col) + s;
    else this.line = this.line.slice(0, this.col) + s + this.line.slice(this.col + s.length);
    this.col += s.length;
    if (this.line.length <= MAX_LINE_CHARS) return '';
    const flushed = this.line;
    this.line = '';
    this.col = 0;
    return flushed;
  }

  private endLine(): string {
    const line = this.rewritten ? this.line.trimEnd() : this.line;
    this.line = '';
    this.col = 0;
    this.rewritten = false;
    return `${line}\n`;
  }

  private control(params: string, final: string): void {
    if (final !== 'K') return;
    const mode = params === '' ? 0 : Number(params);
    if (mode === 0) this.line = this.line.slice(0, this.col);
    else if (mode === 2) this.line = ' '.repeat(this.col);
    else if (mode === 1) this.line = ' '.repeat(this.col) + this.line.slice(this.col);
    this.rewritten = true;
  }
}
