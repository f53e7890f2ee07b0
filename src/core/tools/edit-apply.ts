/**
 * Pure edit logic for `edit_file`: exact-string replacements applied in order to an in-memory
 * text, all or nothing. A miss explains itself with the nearest match so the model can retry.
 */

export interface TextEdit {
  oldText: string;
  newText: string;
  /** Replace every occurrence instead of requiring exactly one. */
  replaceAll?: boolean;
}

export type EditOutcome = { ok: true; text: string; replacements: number } | { ok: false; message: string };

/** Files above this many lines skip the fuzzy search (it is O(lines × window)). */
const MAX_FUZZY_LINES = 20_000;

function countOccurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) count++;
  return count;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  const t = s.replace(/\s+/g, ' ').trim();
  for (let i = 0; i < t.length - 1; i++) {
    const g = t.slice(i, i + 2);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

/** Dice similarity of two strings on character bigrams, whitespace-collapsed (0..1). */
export function similarity(a: string, b: string): number {
  const A = bigrams(a);
  const B = bigrams(b);
  let sizeA = 0;
  let sizeB = 0;
  let inter = 0;
  for (const v of A.values()) sizeA += v;
  for (const [g, v] of B) { sizeB += v; inter += Math.min(v, A.get(g) ?? 0); }
  if (sizeA + sizeB === 0) return a.trim() === b.trim() ? 1 : 0;
  return (2 * inter) / (sizeA + sizeB);
}

/** The window of lines in `text` most similar to `needle`, with its 1-based line numbers. */
export function nearestMatch(text: string, needle: string): { startLine: number; endLine: number; text: string; score: number } | undefined {
  const lines = text.split('\n');
  if (lines.length > MAX_FUZZY_LINES) return undefined;
  const k = Math.max(1, needle.replace(/\n$/, '').split('\n').length);
  let best: { startLine: number; endLine: number; text: string; score: number } | undefined;
  for (let i = 0; i + k <= Math.max(lines.length, k) && i < lines.length; i++) {
    const window = lines.slice(i, i + k).join('\n');
    const score = similarity(window, needle);
    if (!best || score > best.score) best = { startLine: i + 1, endLine: Math.min(lines.length, i + k), text: window, score };
  }
  return best;
}

function explainMiss(text: string, edit: TextEdit, index: number, total: number): string {
  const which = total > 1 ? `Edit ${index + 1} of ${total}` : 'The edit';
  let message = `${which} failed: oldText was not found in the file. No changes were written.`;
  if (text.replace(/\s+/g, '').includes(edit.oldText.replace(/\s+/g, '')) && edit.oldText.trim() !== '') {
    message += ' The text exists with different whitespace or indentation; copy it exactly from read_file output (without the line-number prefix).';
  }
  const near = nearestMatch(text, edit.oldText);
  if (near && near.score >= 0.3) {
    const width = String(near.endLine).length;
    const shown = near.text.split('\n').map((l, n) => `${String(near.startLine + n).padStart(width, ' ')}\t${l}`).join('\n');
    message += `\nNearest match (lines ${near.startLine}-${near.endLine}, ${Math.round(near.score * 100)}% similar):\n${shown}`;
  } else {
    message += ' Nothing similar was found; read the file again to see its current content.';
  }
  return message;
}

/**
 * Applies `edits` in order; every edit must match exactly once (or at least once with
 * `replaceAll`). Returns the new text, or a message for the model and no change at all.
 */
export function applyEdits(original: string, edits: readonly TextEdit[]): EditOutcome {
  const crlf = original.includes('\r\n');
  let text = original;
  let replacements = 0;
  for (let i = 0; i < edits.length; i++) {
    let { oldText, newText } = edits[i];
    // Models write "\n"; keep a CRLF file CRLF.
    if (crlf && !oldText.includes('\r\n')) {
      oldText = oldText.replace(/\n/g, '\r\n');
      newText = newText.replace(/\r?\n/g, '\r\n');
    }
    const which = edits.length > 1 ? `Edit ${i + 1} of ${edits.length}` : 'The edit';
    if (oldText === '') return { ok: false, message: `${which} has an empty oldText. To create or overwrite a whole file, use write_file.` };
    if (oldText === newText) return { ok: false, message: `${which} has identical oldText and newText; nothing would change.` };
    const count = countOccurrences(text, oldText);
    if (count === 0) return { ok: false, message: explainMiss(text, { ...edits[i], oldText }, i, edits.length) };
    if (count > 1 && !edits[i].replaceAll) {
      const lines: number[] = [];
      for (let at = text.indexOf(oldText); at !== -1 && lines.length < 10; at = text.indexOf(oldText, at + oldText.length)) lines.push(lineOf(text, at));
      return { ok: false, message: `${which} failed: oldText matches ${count} places (lines ${lines.join(', ')}). Include more surrounding lines so it matches exactly one, or set replaceAll. No changes were written.` };
    }
    text = edits[i].replaceAll ? text.split(oldText).join(newText) : text.replace(oldText, () => newText);
    replacements += count;
  }
  return { ok: true, text, replacements };
}
