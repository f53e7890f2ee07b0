/**
 * The memory file's format: Markdown the user edits by hand.
 *
 * ```markdown
 * # Memory
 *
 * Any free text (kept as it is).
 *
 * - An entry without a topic <!-- mem:3f9a1c2b 2026-12-01T20:44:38Z -->
 *
 * ## Build
 * - Run `npm run build` before the webview tests <!-- mem:8e0d44aa 2026-12-01T20:50:01Z -->
 * ```
 *
 * One entry per bullet line (`- ` or `* ` at the start of the line); the `## ` heading above it is
 * its topic. The HTML comment at the end of the line holds the entry's stable id (and when it was
 * written), so entries survive hand edits: reordering, rewording, moving under another heading.
 * Parsing is lenient: a bullet without an id is an entry too (it gets an id on the next write),
 * a repeated id (a copied line) gets a new one, and every other line is kept byte for byte.
 * Pure: no I/O (file.ts reads and writes).
 */
import { randomBytes } from 'node:crypto';
import type { MemoryEntry } from '../../shared/knowledge-types';

/** The heading a new memory file starts with. */
export const MEMORY_TITLE = '# Memory';

const BULLET = /^([-*])[ \t]+(.*)$/;
const ID_COMMENT = /[ \t]*<!--[ \t]*mem:([A-Za-z0-9_-]{1,40})(?:[ \t]+(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ))?[ \t]*-->[ \t]*$/;
const TOPIC = /^##[ \t]+(.+?)[ \t]*#*[ \t]*$/;

/** One entry as it sits in the file. */
export interface ParsedEntry extends MemoryEntry {
  /** Index of its line in {@link MemoryDocument.lines}. */
  line: number;
  /** It had no id (or a repeated one) in the file: the next write adds one. */
  fresh: boolean;
}

/** A parsed memory file: its lines as they were, and the entries among them. */
export interface MemoryDocument {
  lines: string[];
  /** The file's line ending (kept on write). */
  eol: '\n' | '\r\n';
  /** The file ended with a line ending. */
  finalEol: boolean;
  entries: ParsedEntry[];
}

/** A new entry id: 8 hex digits (unique within a file; checked by the caller). */
export function newEntryId(taken: ReadonlySet<string>): string {
  for (;;) {
    const id = randomBytes(4).toString('hex');
    if (!taken.has(id)) return id;
  }
}

/** Text as one bullet line: whitespace runs (newlines too) become one space; no comment markers. */
export function normaliseEntryText(text: string): string {
  return text.replace(/<!--/g, '<!-').replace(/-->/g, '->').replace(/\s+/g, ' ').trim();
}

/** A topic as one heading line. */
export function normaliseTopic(topic: string): string {
  return topic.replace(/\s+/g, ' ').replace(/^#+\s*/, '').trim();
}

/** Parses the file's text (never fails: anything not an entry is kept as text). */
export function parseMemory(text: string): MemoryDocument {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const finalEol = text === '' || text.endsWith('\n');
  const body = finalEol && text !== '' ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text;
  const lines = text === '' ? [] : body.split(/\r?\n/);
  const entries: ParsedEntry[] = [];
  const seen = new Set<string>();
  let topic: string | undefined;
  let fence = false;
  lines.forEach((raw, line) => {
    if (/^(```|~~~)/.test(raw)) { fence = !fence; return; }
    if (fence) return;
    const t = TOPIC.exec(raw);
    if (t) { topic = normaliseTopic(t[1]); return; }
    if (/^#[ \t]/.test(raw)) { topic = undefined; return; }
    const b = BULLET.exec(raw);
    if (!b) return;
    const m = ID_COMMENT.exec(b[2]);
    const entryText = (m ? b[2].slice(0, m.index) : b[2]).trim();
    if (entryText === '') return;
    const id = m?.[1];
    const fresh = id === undefined || seen.has(id);
    if (id !== undefined && !fresh) seen.add(id);
    const createdAt = m?.[2] ? Date.parse(m[2]) : undefined;
    entries.push({
      id: fresh ? '' : id, text: entryText, line, fresh,
      ...(topic ? { topic } : {}), ...(createdAt !== undefined && !Number.isNaN(createdAt) ? { createdAt } : {}),
    });
  });
  const taken = new Set(entries.map((e) => e.id).filter((x) => x !== ''));
  for (const e of entries) {
    if (e.fresh) { e.id = newEntryId(taken); taken.add(e.id); }
  }
  return { lines, eol, finalEol, entries };
}

/** The bullet line of an entry. */
export function entryLine(e: Pick<MemoryEntry, 'id' | 'text' | 'createdAt'>): string {
  const at = e.createdAt === undefined ? '' : ` ${new Date(e.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
  return `- ${e.text} <!-- mem:${e.id}${at} -->`;
}

/** The document as text: its lines (entries without an id in the file now get theirs). */
export function serialiseMemory(doc: MemoryDocument): string {
  const lines = [...doc.lines];
  for (const e of doc.entries) {
    if (!e.fresh) continue;
    const withoutId = lines[e.line].replace(ID_COMMENT, '').replace(/[ \t]+$/, '');
    lines[e.line] = `${withoutId} <!-- mem:${e.id} -->`;
    e.fresh = false;
  }
  if (lines.length === 0) return '';
  return lines.join(doc.eol) + (doc.finalEol ? doc.eol : '');
}

/**
 * Where in `topic`'s section (undefined topic: before the first `## `) a new entry goes: after its
 * last bullet, else after its last non-blank line; -1: no such section.
 */
function sectionEnd(doc: MemoryDocument, topic: string | undefined): number {
  const wanted = topic?.toLowerCase();
  let inSection = wanted === undefined;
  let found = wanted === undefined;
  let lastText = -1;
  let lastBullet = -1;
  let fence = false;
  doc.lines.forEach((raw, i) => {
    const fenceLine = /^(```|~~~)/.test(raw);
    if (!fence && !fenceLine) {
      const t = TOPIC.exec(raw);
      if (t) {
        inSection = wanted !== undefined && normaliseTopic(t[1]).toLowerCase() === wanted;
        if (inSection) { found = true; lastText = i; }
        return;
      }
      if (inSection && BULLET.test(raw)) lastBullet = i;
    }
    if (fenceLine) fence = !fence;
    if (inSection && raw.trim() !== '') lastText = i;
  });
  if (!found) return -1;
  return lastBullet >= 0 ? lastBullet : lastText;
}

/** Adds an entry at the end of its topic's section (the section made at the end of the file when missing). */
export function insertEntry(doc: MemoryDocument, entry: Omit<MemoryEntry, 'sessionId'>): void {
  let at = sectionEnd(doc, entry.topic);
  if (at < 0 && entry.topic === undefined) {
    // The file starts with a topic (or is empty): the title goes first, the entry under it.
    const head = doc.lines.length === 0 ? [MEMORY_TITLE] : [MEMORY_TITLE, ''];
    doc.lines.unshift(...head);
    for (const e of doc.entries) e.line += head.length;
    if (doc.lines.length === 1) doc.finalEol = true;
    at = 0;
  } else if (at < 0) {
    while (doc.lines.length > 0 && doc.lines[doc.lines.length - 1].trim() === '') doc.lines.pop();
    if (doc.lines.length === 0) doc.lines.push(MEMORY_TITLE);
    doc.lines.push('', `## ${entry.topic}`);
    at = doc.lines.length - 1;
    doc.finalEol = true;
  }
  // Right after a bullet; after anything else (a heading, free text) a blank line first.
  const added = BULLET.test(doc.lines[at] ?? '') ? [entryLine(entry)] : ['', entryLine(entry)];
  doc.lines.splice(at + 1, 0, ...added);
  const line = at + added.length;
  for (const e of doc.entries) if (e.line > at) e.line += added.length;
  doc.entries.push({ ...entry, line, fresh: false });
  doc.entries.sort((a, b) => a.line - b.line);
}

/** Replaces an entry's text in place (its line keeps its marker, id and date). */
export function replaceEntryText(doc: MemoryDocument, id: string, text: string): boolean {
  const e = doc.entries.find((x) => x.id === id);
  if (!e) return false;
  const marker = BULLET.exec(doc.lines[e.line])?.[1] ?? '-';
  doc.lines[e.line] = entryLine({ ...e, text }).replace(/^-/, marker);
  e.text = text;
  e.fresh = false;
  return true;
}

/** Removes an entry's line. */
export function removeEntry(doc: MemoryDocument, id: string): boolean {
  const i = doc.entries.findIndex((x) => x.id === id);
  if (i < 0) return false;
  const [e] = doc.entries.splice(i, 1);
  doc.lines.splice(e.line, 1);
  for (const x of doc.entries) if (x.line > e.line) x.line -= 1;
  return true;
}
