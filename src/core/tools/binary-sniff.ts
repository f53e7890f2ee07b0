/**
 * Tells binary output (an image, a compiled file, compressed data `cat`-ed to the terminal) from
 * text, while it streams, so it is reported by size instead of being pasted to the model.
 */

/** Bytes at the start judged on their own, to stop streaming binary to the UI early. */
const EARLY_BYTES = 8192;
/** Share of suspicious bytes above which output is binary. Text in a legacy encoding stays well below. */
const BINARY_SHARE = 0.1;

/**
 * Counts "suspicious" input: NUL bytes and invalid UTF-8 sequences (the decoder's U+FFFD). Output
 * is binary when they are more than 10% of its bytes: executables and images are full of NULs,
 * compressed or random data is mostly invalid UTF-8.
 */
export class BinarySniffer {
  private bytes = 0;
  private suspicious = 0;
  private early = false;
  private earlyJudged = false;

  /** Raw bytes as they arrive. */
  addBytes(buf: Buffer): void {
    // NULs by memchr (indexOf), not a byte loop: text has none, so this costs one scan per chunk.
    for (let i = buf.indexOf(0); i !== -1; i = buf.indexOf(0, i + 1)) this.suspicious++;
    this.bytes += buf.length;
  }

  /** The same bytes decoded (UTF-8, replacing invalid sequences with U+FFFD). */
  addDecoded(text: string): void {
    for (let i = text.indexOf('\ufffd'); i !== -1; i = text.indexOf('\ufffd', i + 1)) this.suspicious++;
    if (this.earlyJudged) return;
    this.early = this.binary;
    this.earlyJudged = this.early || this.bytes >= EARLY_BYTES;
  }

  /** Total bytes seen. */
  get total(): number { return this.bytes; }

  /** The beginning already looked binary (checked over roughly the first 8 KB). */
  get looksBinaryEarly(): boolean { return this.early; }

  /** The whole output so far is binary. */
  get binary(): boolean { return this.bytes > 0 && this.suspicious / this.bytes > BINARY_SHARE; }
}
