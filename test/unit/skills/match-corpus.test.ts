import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { matchSkills } from '../../../src/core/skills/match';
import { loadCorpus, measure } from './match-corpus';

void describe('skill matching on a real corpus', () => {
  void test('corpus: ≥ 40 real skills with sources, ≥ 40 labelled prompts naming real skills', () => {
    const { skills, prompts } = loadCorpus();
    assert.ok(skills.length >= 40);
    assert.ok(prompts.length >= 40);
    assert.ok(skills.every((s) => /^[\w-]+\/[\w.-]+@[0-9a-f]{12}:.+SKILL\.md$/.test(s.source)));
    const names = new Set(skills.map((s) => s.name));
    assert.deepEqual(prompts.filter((p) => p.expect !== null && !names.has(p.expect)), []);
  });

  void test('explicit invocation only: precision 1.00, every explicit prompt matched, no implicit prompt attached', () => {
    const f = measure(matchSkills);
    console.log(`matchSkills on ${f.prompts} prompts: attached ${f.attached}, precision ${f.precision.toFixed(2)}, recall ${f.recall.toFixed(2)} (the rest is the model's choice from the index)`);
    assert.deepEqual(f.falsePositives, []);
    assert.equal(f.precision, 1);
    // The four explicit prompts ("/pdf …", "use the brainstorming skill …", "Run test-driven-development …", "Follow systematic-debugging …").
    assert.equal(f.correct, 4);
  });
});
