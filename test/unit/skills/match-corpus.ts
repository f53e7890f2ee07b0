import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SkillMatch } from '../../../src/core/skills/types';

/**
 * The skill-matching corpus (fixtures/skill-corpus): 50 real skill names and descriptions from
 * public collections, and prompts labelled with the skill they should trigger (null: none).
 */
export interface CorpusSkill { name: string; description: string; source: string }
export interface LabelledPrompt { prompt: string; expect: string | null }

const DIR = join(import.meta.dirname, 'fixtures', 'skill-corpus');

export function loadCorpus(): { skills: CorpusSkill[]; prompts: LabelledPrompt[] } {
  return {
    skills: JSON.parse(readFileSync(join(DIR, 'skills.json'), 'utf8')) as CorpusSkill[],
    prompts: JSON.parse(readFileSync(join(DIR, 'prompts.json'), 'utf8')) as LabelledPrompt[],
  };
}

/** Precision over every skill attached; recall over prompts that should trigger one. */
export interface MatchFigures {
  prompts: number;
  labelled: number;
  attached: number;
  correct: number;
  /** correct / attached (1 when nothing was attached: no false positive). */
  precision: number;
  /** labelled prompts whose skill was attached / labelled prompts. */
  recall: number;
  falsePositives: { prompt: string; got: string }[];
}

/** Runs a matcher over the corpus. `filter` keeps only some matches (e.g. one reason). */
export function measure(matcher: (prompt: string, skills: readonly CorpusSkill[]) => SkillMatch[], filter: (m: SkillMatch) => boolean = () => true): MatchFigures {
  const { skills, prompts } = loadCorpus();
  let attached = 0; let correct = 0; let hit = 0;
  const falsePositives: MatchFigures['falsePositives'] = [];
  for (const p of prompts) {
    const got = matcher(p.prompt, skills).filter(filter).map((m) => m.name);
    attached += got.length;
    for (const g of got) {
      if (g === p.expect) correct += 1; else falsePositives.push({ prompt: p.prompt, got: g });
    }
    if (p.expect !== null && got.includes(p.expect)) hit += 1;
  }
  const labelled = prompts.filter((p) => p.expect !== null).length;
  return { prompts: prompts.length, labelled, attached, correct, precision: attached === 0 ? 1 : correct / attached, recall: labelled === 0 ? 0 : hit / labelled, falsePositives };
}
