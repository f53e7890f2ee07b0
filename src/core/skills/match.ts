import type { SkillMatch } from './types';

/**
 * Prompt → skill matching: which skill bodies to attach up front. Only explicit invocation counts:
 * the prompt names the skill (its front-matter name or its folder) as a whole token, and the name
 * is distinctive — it contains a hyphen, or is marked (`/name`, `@name`, `$name`, or next to the
 * word "skill"). Everything else is left to the model, which sees the skills index and calls
 * load_skill.
 *
 * Description matching was dropped after a measurement (bench/skill-match.ts, corpus of 50 real
 * skills and 55 labelled prompts in test/unit/skills/fixtures/skill-corpus): the old rule
 * (≥ 3 shared words covering ≥ 50 % of the description) attached nothing (recall 0.00); an
 * IDF-weighted overlap reached precision 0.97 / recall 0.73, but only with a threshold tuned on
 * that same corpus, on a scale that moves with the number of installed skills, and each false
 * positive puts a whole skill body into every later request. The model choosing from the index
 * does not have those failure modes.
 */

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when the prompt clearly names the skill. */
export function mentionsName(prompt: string, name: string): boolean {
  const p = prompt.toLowerCase();
  const n = escapeRe(name.toLowerCase());
  const token = new RegExp(`(^|[^a-z0-9_-])([/@$]?)${n}(?![a-z0-9_-])`, 'g');
  for (const m of p.matchAll(token)) {
    if (name.includes('-') || m[2] !== '') return true;
    const before = p.slice(Math.max(0, m.index - 12), m.index + m[1]!.length);
    const after = p.slice(m.index + m[0].length, m.index + m[0].length + 12);
    if (/\bskill\s*:?\s*["'`]?$/.test(before) || /^["'`]?\s+skill\b/.test(after)) return true;
  }
  return false;
}

/** Skills the prompt explicitly invokes (by name or folder), at most `max`, in the skills' order. */
export function matchSkills(prompt: string, skills: readonly { name: string; folder?: string }[], max = 3): SkillMatch[] {
  const out: SkillMatch[] = [];
  for (const s of skills) {
    if (mentionsName(prompt, s.name) || (s.folder !== undefined && s.folder !== s.name && mentionsName(prompt, s.folder))) {
      out.push({ name: s.name, reason: 'name' });
    }
  }
  return out.slice(0, max);
}
