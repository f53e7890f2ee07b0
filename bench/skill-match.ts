/**
 * `node --import tsx bench/skill-match.ts`: precision and recall of prompt → skill matching
 * (src/core/skills/match.ts) on the corpus in test/unit/skills/fixtures/skill-corpus (50 real
 * skills from anthropics/skills, obra/superpowers and ComposioHQ/awesome-claude-skills; labelled
 * prompts). Figures, never assertions (test/unit/skills/match-corpus.test.ts asserts them).
 */
import { matchSkills } from '../src/core/skills/match';
import type { SkillMatch } from '../src/core/skills/types';
import { loadCorpus, measure, type CorpusSkill, type MatchFigures } from '../test/unit/skills/match-corpus';

// The word extraction match.ts used before issue 15 (kept here to reproduce the old figures).
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
function contentWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.toLowerCase().match(/[a-z][a-z0-9]+/g) ?? []) {
    if (raw.length < 4 || STOP.has(raw)) continue;
    const s = stem(raw);
    if (!STOP.has(s)) out.add(s);
  }
  return out;
}


/** The description rule match.ts used before issue 15 (≥ 3 shared content words covering ≥ 50 % of the description). */
function descriptionRule(prompt: string, skills: readonly CorpusSkill[]): SkillMatch[] {
  const words = contentWords(prompt);
  const out: SkillMatch[] = [];
  for (const s of skills) {
    const desc = contentWords(s.description);
    const overlap = [...desc].filter((w) => words.has(w));
    if (desc.size > 0 && overlap.length >= 3 && overlap.length / desc.size >= 0.5) out.push({ name: s.name, reason: 'description', overlap });
  }
  return out.slice(0, 3);
}

/**
 * The best simple alternative tried: IDF-weighted word overlap between the prompt and each
 * description, best skill only, above a score threshold.
 */
function idfRule(threshold: number): (prompt: string, skills: readonly CorpusSkill[]) => SkillMatch[] {
  return (prompt, skills) => {
    const docs = skills.map((s) => contentWords(`${s.name.replace(/-/g, ' ')} ${s.description}`));
    const df = new Map<string, number>();
    for (const d of docs) for (const w of d) df.set(w, (df.get(w) ?? 0) + 1);
    const words = contentWords(prompt);
    let best = -1; let bestScore = 0;
    docs.forEach((d, i) => {
      let score = 0;
      for (const w of words) if (d.has(w)) score += Math.log(skills.length / df.get(w)!);
      if (score > bestScore) { bestScore = score; best = i; }
    });
    return best >= 0 && bestScore >= threshold ? [{ name: skills[best]!.name, reason: 'description' }] : [];
  };
}

function row(label: string, f: MatchFigures): string {
  return `${label.padEnd(44)} attached ${String(f.attached).padStart(3)}  correct ${String(f.correct).padStart(3)}  precision ${f.precision.toFixed(2)}  recall ${f.recall.toFixed(2)}`;
}

const { skills, prompts } = loadCorpus();
console.log(`corpus: ${skills.length} skills, ${prompts.length} prompts (${prompts.filter((p) => p.expect).length} labelled with a skill)`);
console.log(row('old description rule (3 words, 50 %)', measure(descriptionRule)));
console.log(row('matchSkills now (explicit names only)', measure(matchSkills)));
for (const t of [4, 6, 8, 10, 12]) {
  const f = measure(idfRule(t));
  console.log(row(`IDF overlap, best skill, score ≥ ${t}`, f));
}
