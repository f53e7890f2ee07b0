/**
 * The workspace memory: entries of the memory file (file.ts) added, updated, removed and searched,
 * with secrets kept out (every text goes through the session's redactor; a text that is mostly a
 * secret is refused) and undo of one write when the entry is still as that write left it.
 */
import type { MemoryEntry } from '../../shared/knowledge-types';
import { AgentError } from '../base/errors';
import { REDACTED, patternRedactor, type Redactor } from '../base/redact';
import { MemoryFile } from './file';
import { insertEntry, newEntryId, normaliseEntryText, normaliseTopic, removeEntry, replaceEntryText, type MemoryDocument } from './format';
import { rankEntries, similarity } from './relevance';

/** Longest entry text (characters). */
export const MAX_ENTRY_CHARS = 1_000;
/** Two texts at least this alike (shared words) are the same memory: remember updates instead of adding. */
export const NEAR_DUPLICATE = 0.75;
/** A text whose characters are more than this share secret is refused, not saved redacted. */
const MOSTLY_SECRET = 0.5;

/** What one write did (the `memory.changed` event and undo are built from it). */
export interface MemoryWrite {
  action: 'added' | 'updated' | 'removed';
  entry: MemoryEntry;
  /** For `updated`: the text before. */
  previousText?: string;
}

/** The part of the store the session's knowledge and tools use (tests may give their own). */
export interface MemoryPort {
  readonly path: string;
  list(): Promise<MemoryEntry[]>;
  search(query: string, limit?: number): Promise<MemoryEntry[]>;
  remember(text: string, topic?: string): Promise<MemoryWrite>;
  forget(id: string): Promise<MemoryWrite | undefined>;
  /** Reverses `write` when the entry is still as it left it; false: it was changed since (nothing done). */
  undo(write: MemoryWrite): Promise<boolean>;
}

const strip = (e: MemoryEntry & { line?: number; fresh?: boolean }): MemoryEntry => {
  const { line: _l, fresh: _f, ...rest } = e;
  return rest;
};

/** The memory kept in one Markdown file. */
export class MemoryStore implements MemoryPort {
  private readonly file: MemoryFile;

  constructor(readonly path: string, private readonly options: { redactor?: Redactor; now?: () => number; maxChars?: number } = {}) {
    this.file = new MemoryFile(path, options.maxChars);
  }

  async list(): Promise<MemoryEntry[]> {
    return (await this.file.read()).entries.map(strip);
  }

  /** Entries sharing words with `query`, best first (at most `limit`). */
  async search(query: string, limit = 20): Promise<MemoryEntry[]> {
    return rankEntries(await this.list(), query).filter((s) => s.score > 0).slice(0, limit).map((s) => s.entry);
  }

  /**
   * Saves `text` (under `topic`): updates the near-duplicate entry when there is one (same
   * topic or none given), else adds one. Throws `bad_request` for empty, too long or secret text.
   */
  async remember(text: string, topic?: string): Promise<MemoryWrite> {
    const clean = this.clean(text);
    const t = topic === undefined ? undefined : normaliseTopic(topic) || undefined;
    const write = await this.file.update((doc) => {
      const dup = doc.entries
        .filter((e) => t === undefined || e.topic?.toLowerCase() === t.toLowerCase())
        .map((e) => ({ e, s: similarity(e.text, clean) }))
        .filter((x) => x.s >= NEAR_DUPLICATE)
        .sort((a, b) => b.s - a.s)[0]?.e;
      if (dup) {
        const previousText = dup.text;
        if (previousText === clean) return { action: 'updated' as const, entry: strip(dup), previousText };
        replaceEntryText(doc, dup.id, clean);
        return { action: 'updated' as const, entry: strip({ ...dup, text: clean }), previousText };
      }
      const entry: MemoryEntry = { id: newEntryId(new Set(doc.entries.map((e) => e.id))), text: clean, createdAt: this.now(), ...(t ? { topic: t } : {}) };
      insertEntry(doc, entry);
      return { action: 'added' as const, entry };
    });
    if (!write) throw new AgentError('invalid_state', 'The memory was not written.');
    return write;
  }

  /** Removes entry `id`; undefined when there is none. */
  async forget(id: string): Promise<MemoryWrite | undefined> {
    return this.file.update((doc) => {
      const e = doc.entries.find((x) => x.id === id);
      if (!e) return undefined;
      removeEntry(doc, id);
      return { action: 'removed' as const, entry: strip(e) };
    });
  }

  async undo(write: MemoryWrite): Promise<boolean> {
    const done = await this.file.update((doc: MemoryDocument) => {
      const now = doc.entries.find((x) => x.id === write.entry.id);
      switch (write.action) {
        case 'added':
          if (now?.text !== write.entry.text) return undefined;
          removeEntry(doc, now.id);
          return true;
        case 'updated':
          if (now?.text !== write.entry.text || write.previousText === undefined) return undefined;
          replaceEntryText(doc, now.id, write.previousText);
          return true;
        case 'removed':
          if (now) return undefined;
          insertEntry(doc, write.entry);
          return true;
      }
    });
    return done === true;
  }

  /** One line, redacted; refused when empty, too long or mostly a secret. */
  private clean(text: string): string {
    const one = normaliseEntryText(text);
    if (one === '') throw new AgentError('bad_request', 'A memory needs some text.');
    if (one.length > MAX_ENTRY_CHARS) throw new AgentError('bad_request', `A memory is at most ${MAX_ENTRY_CHARS} characters (this one has ${one.length}); keep it to one fact.`);
    const redacted = (this.options.redactor ?? patternRedactor).redact(one);
    if (redacted !== one) {
      const kept = redacted.split(REDACTED).join('').length;
      if ((one.length - kept) / one.length > MOSTLY_SECRET || wordsLeft(redacted) === 0) {
        throw new AgentError('bad_request', 'This text is mostly a secret (a key or a token); secrets are never saved to memory.', {
          hint: 'Remember where the secret is kept (e.g. "the API key is in the OS keychain"), never the secret itself.',
        });
      }
    }
    return redacted;
  }

  private now(): number {
    return Math.floor((this.options.now?.() ?? Date.now()) / 1000) * 1000;
  }
}

/** Words that are not the redaction marker. */
function wordsLeft(text: string): number {
  return text.split(REDACTED).join(' ').split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}
