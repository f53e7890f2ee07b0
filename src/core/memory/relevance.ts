/**
 * Which memories a new session starts with: the entries most relevant to its first prompt,
 * within a character budget. Deterministic (same file, same prompt → same bytes, so the prompt
 * cache holds): ranked by shared words with the prompt (rarer words count more), then by recency
 * (newer first: the date in the entry's comment, else its place in the file — later is newer).
 *
 * Budget: 2% of the context window, at 4 characters a token, kept between MEMORY_BUDGET_FLOOR and
 * MEMORY_BUDGET_CEILING characters (128k tokens → 10 240 → the 8 000 ceiling; 32k → 2 560).
 */
import type { MemoryEntry } from '../../shared/knowledge-types';

export const MEMORY_BUDGET_SHARE = 0.02;
export const MEMORY_BUDGET_FLOOR = 1_000;
export const MEMORY_BUDGET_CEILING = 8_000;
/** Context window assumed when the session's config names none. */
const DEFAULT_CONTEXT_TOKENS = 128_000;
const CHARS_PER_TOKEN = 4;

/** Words too common to say anything about relevance. */
const STOP = new Set(('a an and are as at be but by can do does for from has have how i if in into is it its me my of on or our so ' +
  'that the their then there these this to use was we were what when where which who why will with you your please should would could').split(' '));

/** Lower-case words of two letters or more, minus stop words (letters, digits, `_`, `-`, `.` inside). */
export function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}_.-]*[\p{L}\p{N}]|[\p{L}\p{N}]{2,}/gu) ?? []).filter((w) => !STOP.has(w));
}

/** How alike two texts are: shared distinct words over all distinct words (Jaccard), 0..1. */
export function similarity(a: string, b: string): number {
  const wa = new Set(wordsOf(a));
  const wb = new Set(wordsOf(b));
  if (wa.size === 0 && wb.size === 0) return a.trim().toLowerCase() === b.trim().toLowerCase() ? 1 : 0;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return shared / (wa.size + wb.size - shared);
}

/** The memory budget in characters for a context window of `contextTokens`. */
export function memoryBudget(contextTokens: number | undefined): number {
  const chars = Math.round((contextTokens ?? DEFAULT_CONTEXT_TOKENS) * CHARS_PER_TOKEN * MEMORY_BUDGET_SHARE);
  return Math.min(MEMORY_BUDGET_CEILING, Math.max(MEMORY_BUDGET_FLOOR, chars));
}

/** An entry scored against a query: word overlap (idf-weighted), then recency rank. */
export interface ScoredEntry {
  entry: MemoryEntry;
  score: number;
  /** 0 = newest. */
  age: number;
}

/**
 * Entries ranked for `query`: by idf-weighted shared words (the topic counts as words of the
 * entry), ties by recency then id. With an empty query: by recency alone.
 */
export function rankEntries(entries: readonly MemoryEntry[], query: string): ScoredEntry[] {
  const docs = entries.map((e) => new Set(wordsOf(`${e.topic ?? ''} ${e.text}`)));
  const df = new Map<string, number>();
  for (const d of docs) for (const w of d) df.set(w, (df.get(w) ?? 0) + 1);
  const q = new Set(wordsOf(query));
  // Newer first: dated entries by date, then file order (later lines are newer).
  const order = entries.map((e, i) => ({ i, t: e.createdAt ?? -Infinity }))
    .sort((a, b) => (b.t - a.t) || (b.i - a.i)).map((x) => x.i);
  const age = new Map(order.map((idx, rank) => [idx, rank]));
  return entries.map((entry, i) => {
    let score = 0;
    for (const w of q) if (docs[i].has(w)) score += Math.log(1 + entries.length / (df.get(w) ?? 1));
    return { entry, score, age: age.get(i) ?? i };
  }).sort((a, b) => (b.score - a.score) || (a.age - b.age) || a.entry.id.localeCompare(b.entry.id));
}

/** The line an entry takes in the context. */
export function contextLine(e: MemoryEntry): string {
  return `- ${e.topic ? `[${e.topic}] ` : ''}${e.text} (id ${e.id})`;
}

/**
 * The entries that go into a session's context for `prompt`, within `budget` characters (the
 * lines as contextLine renders them, one newline each): the best ranked first, skipping any that
 * does not fit; returned in file order so the section reads like the file.
 */
export function chooseMemories(entries: readonly MemoryEntry[], prompt: string, budget: number): MemoryEntry[] {
  const chosen = new Set<MemoryEntry>();
  let used = 0;
  for (const { entry } of rankEntries(entries, prompt)) {
    const cost = contextLine(entry).length + 1;
    if (used + cost > budget) continue;
    chosen.add(entry);
    used += cost;
  }
  return entries.filter((e) => chosen.has(e));
}
