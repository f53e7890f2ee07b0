/**
 * Bytes ↔ editor text for the change ledger's VS Code side: whether an agent's write can go
 * through an open TextDocument and still leave exactly these bytes on disk, and how a baseline
 * reads in the diff editor. No vscode import (unit-tested).
 */

const BOM = [0xef, 0xbb, 0xbf];

function hasBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
}

/** Strict UTF-8 text of `bytes`, or undefined when they are not (or contain NUL: binary). */
function utf8(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined; // not UTF-8: the caller writes the bytes as they are
  }
}

/**
 * The text to put into an open TextDocument so that saving it writes exactly `bytes`, and the
 * end-of-line the document must switch to (undefined: keep its own, the text has no line break).
 * Undefined when that is impossible: binary or non-UTF-8 content, a document saved in another
 * encoding, a BOM the document would drop or add, mixed line endings (a document has one EOL).
 */
export function textForEditor(bytes: Uint8Array, encoding: string): { text: string; eol?: 'lf' | 'crlf' } | undefined {
  const bom = hasBom(bytes);
  if (encoding === 'utf8bom' ? !bom : encoding !== 'utf8' || bom) return undefined;
  const text = utf8(bom ? bytes.subarray(3) : bytes);
  if (text === undefined) return undefined;
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  const loneCr = (text.match(/\r(?!\n)/g) ?? []).length;
  if (loneCr > 0 || (crlf > 0 && lf > 0)) return undefined;
  if (crlf > 0) return { text, eol: 'crlf' };
  if (lf > 0) return { text, eol: 'lf' };
  return { text };
}

/** How a baseline's bytes read in the diff editor: its text, or one line saying why it is not shown. */
export function baselineText(bytes: Uint8Array): string {
  const text = utf8(hasBom(bytes) ? bytes.subarray(3) : bytes);
  if (text !== undefined) return text;
  return `(Binary or non-UTF-8 content, ${bytes.length} bytes: not shown as text.)`;
}
