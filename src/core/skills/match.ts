import type { SkillMatch } from './types';

/**
 * Conservative prompt → skill matching (which skill bodies to attach up front).
 * A false positive costs context on every turn, so the rules are strict:
 * - name: the prompt names the skill as a whole token AND the name is distinctive (contains a
 *   hyphen, or is marked: `/name`, `@name`, `$name`, or followed/preceded by the word "skill");
 * - description: at least 3 distinct content words (stop words and very common words removed,
 *   ≥ 4 letters, light stemming) shared with the description, covering ≥ 50 % of the
 *   description's content words.
 */

const STOP = new Set(('about above after again against also because been before being below between both cannot could does doing down during each ' +
  'from further have having here into itself just more most other over same should some such than that their them then there these they ' +
  'this those through under until very were what when where which while with would your yours will make made using used uses want need ' +
  'like please help code file files project thing things work works working change changes create update write read find show give take ' +
  'sure well also only into onto back first last next true false null skill skills when whenever user users task tasks used')
  .split(/\s+/));

function stem(w: string): string {
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 4 && w.endsWith('es') && /(ss|sh|ch|x)es$/.test(w)) return w.slice(0, -2);
  if (w.length > 4 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ed')) return w.slice(0, -2);
  return w;
}

/** Distinct content words of a text (lowercase, stemmed, stop words removed). */
export function contentWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.toLowerCase().match(/[a-z][a-z0-9]+/g) ?? []) {
    if (raw.length < 4 || STOP.has(raw)) continue;
    const s = stem(raw);
    if (!STOP.has(s)) out.add(s);
  }
  return out;
}

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

/** Matches a prompt against skills; returns at most `max` matches, name matches first. */
export function matchSkills(prompt: string, skills: readonly { name: string; description: string }[], max = 3): SkillMatch[] {
  const byName: SkillMatch[] = [];
  const byDesc: (SkillMatch & { score: number })[] = [];
  const promptWords = contentWords(prompt);
  for (const s of skills) {
    if (mentionsName(prompt, s.name)) { byName.push({ name: s.name, reason: 'name' }); continue; }
    const desc = contentWords(s.description);
    if (desc.size === 0) continue;
    const overlap = [...desc].filter((w) => promptWords.has(w)).sort();
    if (overlap.length >= 3 && overlap.length / desc.size >= 0.5) {
      byDesc.push({ name: s.name, reason: 'description', overlap, score: overlap.length / desc.size });
    }
  }
  byDesc.sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : 1));
  return [...byName, ...byDesc.map(({ score: _s, ...m }) => m)].slice(0, max);
}
