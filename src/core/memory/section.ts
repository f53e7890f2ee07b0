/**
 * The memory section of a session's system prompt: the entries relevant to the session's first
 * prompt (relevance.ts), within the budget of its context window. Chosen once per session, at
 * its first prompt, and kept while the process lives, so the system prompt's bytes stay the same
 * from request to request (prompt cache); what the session remembers meanwhile is in its tool
 * results, and later sessions see it.
 */
import type { MemoryEntry, MemoryInfo } from '../../shared/knowledge-types';
import type { HistoryMessage } from '../../shared/model';
import type { MemoryPort } from './store';
import { chooseMemories, contextLine, memoryBudget } from './relevance';

/** The section and what it holds. */
export interface MemorySection {
  section: string;
  info: MemoryInfo;
}

/** The section's text for `chosen` of `total` entries. */
export function memorySectionText(path: string, chosen: readonly MemoryEntry[], total: number): string {
  const head = '# Memory\n\nFacts saved in earlier sessions of this workspace (the user can edit them in ' +
    `${path}). Use recall to search it, remember to save a fact worth knowing next time (never a secret), forget to remove a wrong entry by id.`;
  if (total === 0) return `${head}\nThe memory is empty.`;
  const more = chosen.length < total ? `\n(${total - chosen.length} more entr${total - chosen.length === 1 ? 'y' : 'ies'}: use recall.)` : '';
  return `${head}\n\n${chosen.map(contextLine).join('\n')}${more}`;
}

/** Memory sections per session (chosen at the first prompt, then fixed). */
export class MemoryContext {
  private readonly frozen = new Map<string, { section: string; included: number }>();

  constructor(private readonly memory: MemoryPort) {}

  /**
   * The section for session `sessionId` whose first prompt is `prompt` (undefined: none yet — the
   * choice is then by recency and not kept). `contextTokens`: the session's context window.
   */
  async prepare(sessionId: string | undefined, prompt: string | undefined, contextTokens: number | undefined): Promise<MemorySection> {
    const entries = await this.memory.list();
    const kept = sessionId === undefined ? undefined : this.frozen.get(sessionId);
    if (kept) return { section: kept.section, info: { path: this.memory.path, entries: entries.length, included: kept.included, chars: kept.section.length } };
    const chosen = chooseMemories(entries, prompt ?? '', memoryBudget(contextTokens));
    const section = memorySectionText(this.memory.path, chosen, entries.length);
    if (sessionId !== undefined && prompt !== undefined) this.frozen.set(sessionId, { section, included: chosen.length });
    return { section, info: { path: this.memory.path, entries: entries.length, included: chosen.length, chars: section.length } };
  }
}

/** The session's first prompt (its first user message), if it has one. */
export function firstPrompt(history: readonly HistoryMessage[] | undefined): string | undefined {
  const m = history?.find((x) => x.role === 'user');
  return m?.role === 'user' ? m.content : undefined;
}
