import type { SkillInfo } from './types';

/**
 * The skills index sent with every request (names and descriptions; bodies come with
 * load_skill), kept within a character budget and byte-stable for the prompt cache.
 *
 * Budget: {@link INDEX_WINDOW_SHARE} of the model's context window, counted in characters
 * (tokens × {@link CHARS_PER_TOKEN}), at least {@link INDEX_FLOOR_CHARS} and at most
 * {@link INDEX_CEILING_CHARS}: 2 % of a 200k-token window is 16 000 characters (≈ 4k tokens);
 * an 8k-token local model still gets 2 000. 128 real skills take ≈ 43k characters uncapped.
 *
 * Over budget, in this order: (1) every description is shortened to one common length (the
 * longest that fits, never under {@link MIN_DESCRIPTION_CHARS}); (2) skills are left out from the
 * end of the stable order (workspace before user skills, then by name), and a closing line says
 * how many were left out — naming them when the names still fit — and that load_skill loads them
 * by name. Same skills and budget → same bytes.
 */

export const INDEX_WINDOW_SHARE = 0.02;
export const CHARS_PER_TOKEN = 4;
export const INDEX_FLOOR_CHARS = 2_000;
export const INDEX_CEILING_CHARS = 16_000;
/** Descriptions are never shortened below this (then skills are left out instead). */
export const MIN_DESCRIPTION_CHARS = 60;

/** The index's character budget for a model with this context window (tokens). */
export function skillsIndexBudget(contextWindowTokens: number): number {
  const share = Number.isFinite(contextWindowTokens) && contextWindowTokens > 0 ? Math.round(contextWindowTokens * CHARS_PER_TOKEN * INDEX_WINDOW_SHARE) : 0;
  return Math.min(INDEX_CEILING_CHARS, Math.max(INDEX_FLOOR_CHARS, share));
}

/** The index text and what the budget did to it. */
export interface SkillsIndex {
  /** The system-prompt section ('' when no skill is enabled). */
  text: string;
  chars: number;
  budget: number;
  /** Names left out of the index (still loadable by name), in the stable order. */
  omitted: string[];
  /** Length the descriptions were shortened to; absent when they are whole. */
  descriptionChars?: number;
}

const HEADER = '# Skills\nThese skills are available. When a task matches one, call load_skill with its name to read its instructions and bundled files before you start.\n\n';

function compare(a: SkillInfo, b: SkillInfo): number {
  if (a.source !== b.source) return a.source === 'workspace' ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Cuts a description to at most `max` characters, at a word boundary, marked with an ellipsis. */
export function shortenDescription(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(1, max - 1));
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

function lines(skills: readonly SkillInfo[], max: number): string {
  return skills.map((s) => `- ${s.name}: ${shortenDescription(s.description, max)}\n`).join('');
}

function omittedLine(names: readonly string[], withNames: boolean): string {
  const n = names.length;
  const what = `${n} more skill${n === 1 ? ' is' : 's are'} not described here (the index is kept within its budget); load_skill still loads ${n === 1 ? 'it' : 'them'} by name.`;
  return withNames ? `\n${what} Not described: ${names.join(', ')}.\n` : `\n${what} List the skill folders (.agents/skills, .claude/skills, .github/skills) to see their names.\n`;
}

/** Builds the index for these (enabled, winning) skills within `budget` characters. */
export function buildSkillsIndex(skills: readonly SkillInfo[], budget: number): SkillsIndex {
  const sorted = [...skills].sort(compare);
  const cap = Number.isFinite(budget) ? budget : Number.POSITIVE_INFINITY;
  const shown = Number.isFinite(budget) ? budget : 0;
  if (sorted.length === 0) return { text: '', chars: 0, budget: shown, omitted: [] };
  const done = (text: string, omitted: string[], descriptionChars?: number): SkillsIndex => ({
    text, chars: text.length, budget: shown, omitted, ...(descriptionChars !== undefined ? { descriptionChars } : {}),
  });
  const full = HEADER + lines(sorted, Number.POSITIVE_INFINITY);
  if (full.length <= cap) return done(full, []);
  // (1) One common description length: the longest that fits (render length grows with it).
  const longest = Math.max(...sorted.map((s) => s.description.length));
  if ((HEADER + lines(sorted, MIN_DESCRIPTION_CHARS)).length <= cap) {
    let lo = MIN_DESCRIPTION_CHARS;
    let hi = longest;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if ((HEADER + lines(sorted, mid)).length <= cap) lo = mid; else hi = mid - 1;
    }
    return done(HEADER + lines(sorted, lo), [], lo);
  }
  // (2) Leave skills out from the end of the stable order until the rest and the note fit.
  const perLine = sorted.map((s) => `- ${s.name}: ${shortenDescription(s.description, MIN_DESCRIPTION_CHARS)}\n`.length);
  let used = HEADER.length + perLine.reduce((a, b) => a + b, 0);
  let keep = sorted.length;
  while (keep > 0 && used + omittedLine(sorted.slice(keep).map((s) => s.name), false).length > cap) {
    keep -= 1;
    used -= perLine[keep]!;
  }
  const omitted = sorted.slice(keep).map((s) => s.name);
  const body = HEADER + lines(sorted.slice(0, keep), MIN_DESCRIPTION_CHARS);
  const named = omittedLine(omitted, true);
  const text = body + (body.length + named.length <= cap ? named : omittedLine(omitted, false));
  return done(text, omitted, MIN_DESCRIPTION_CHARS);
}
