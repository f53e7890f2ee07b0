import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { KnowledgeWiring } from '../../../src/core/session/knowledge';
import { SkillRegistry } from '../../../src/core/skills/registry';
import { buildSkillsIndex, INDEX_CEILING_CHARS, INDEX_FLOOR_CHARS, skillsIndexBudget } from '../../../src/core/skills/skills-index';
import { staticTrust } from '../../../src/core/skills/workspace-ports';
import { ToolRegistry } from '../../../src/core/tools/registry';
import { nullLogger } from '../../../src/core/ports';
import type { SessionConfig } from '../../../src/shared/session';
import { skillMd, tempTree } from './helpers';

const WORDS = 'extract merge split convert analyse review deploy release format lint document render test profile migrate schema invoice slide chart table'.split(' ');

/** 128 skills with real-length descriptions (≈ 340 characters each, like public collections). */
function generated(count = 128): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const name = `skill-${String(i).padStart(3, '0')}-${WORDS[i % WORDS.length]}`;
    const desc = `Use when the user wants to ${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} files, ` +
      Array.from({ length: 40 }, (_, j) => WORDS[(i + j * 3) % WORDS.length]).join(' ') + '.';
    const where = i % 4 === 3 ? 'user' : i % 2 === 0 ? '.agents/skills' : '.claude/skills';
    files[`${where}/${name}/SKILL.md`] = skillMd(name, desc);
  }
  return files;
}

const config = (contextWindow: number): SessionConfig => ({
  providerId: 'openai', providerKind: 'openai', model: 'gpt-test', autoCompact: true, autoCompactThreshold: 0.8,
  mode: 'ask', rules: [], maxToolRounds: 50, contextWindow,
});

void describe('skills index budget', () => {
  void test('budget: 2 % of the window in characters, with a floor and a ceiling', () => {
    assert.equal(skillsIndexBudget(128_000), 10_240);
    assert.equal(skillsIndexBudget(200_000), 16_000);
    assert.equal(skillsIndexBudget(1_000_000), INDEX_CEILING_CHARS);
    assert.equal(skillsIndexBudget(8_000), INDEX_FLOOR_CHARS);
    assert.equal(skillsIndexBudget(Number.NaN), INDEX_FLOOR_CHARS);
  });

  void test('128 skills: within budget, byte-identical across two builds, what is left out is said and marked', async () => {
    const tree = tempTree(generated());
    const reg = new SkillRegistry({ workspaceRoot: tree, userSkillsDir: `${tree}/user`, trust: staticTrust(true), linkRoots: [] });
    await reg.reload();
    const uncapped = reg.systemPromptSection(reg.enabledNames());
    assert.ok(uncapped.length > 40_000, `uncapped index is ${uncapped.length} characters`);
    const wiring = new KnowledgeWiring({ tools: new ToolRegistry([]), engineTools: [], isWorkspaceTrusted: () => true, logger: nullLogger, skills: reg });

    // 200k window → 16 000 characters: every skill fits with shortened descriptions.
    const big = await wiring.prepare(config(200_000));
    const bigIndex = big.sections.find((s) => s.startsWith('# Skills'))!;
    assert.ok(bigIndex.length <= 16_000, `${bigIndex.length}`);
    assert.deepEqual(big.knowledge.skillsIndex, { chars: bigIndex.length, budget: 16_000, omitted: [] });
    assert.equal((bigIndex.match(/^- skill-/gm) ?? []).length, 128);
    assert.match(bigIndex, /…/);

    // 32k window → 2 560 characters: skills are left out, user skills first, and the index says so.
    const small = await wiring.prepare(config(32_000));
    const again = await wiring.prepare(config(32_000));
    const text = small.sections.find((s) => s.startsWith('# Skills'))!;
    assert.equal(text, again.sections.find((s) => s.startsWith('# Skills')), 'deterministic');
    assert.ok(text.length <= 2_560, `${text.length}`);
    const idx = small.knowledge.skillsIndex!;
    assert.equal(idx.budget, 2_560);
    assert.ok(idx.omitted.length > 0);
    const listed = (text.match(/^- (skill-[^:]+):/gm) ?? []).map((l) => l.slice(2, -1));
    assert.equal(listed.length + idx.omitted.length, 128);
    assert.match(text, new RegExp(`${idx.omitted.length} more skills are not described here .*load_skill still loads them by name`));
    const userNames = reg.list().filter((s) => s.source === 'user').map((s) => s.name);
    assert.ok(userNames.every((n) => idx.omitted.includes(n)), 'user skills are left out before workspace skills');
    const flagged = small.knowledge.skills.filter((s) => s.notIndexed).map((s) => s.name).sort();
    assert.deepEqual(flagged, [...idx.omitted].sort());
    assert.deepEqual([...listed].sort(), listed, 'stable order (workspace skills by name)');
    reg.dispose();
    rmSync(tree, { recursive: true, force: true });
  });

  void test('under budget the index is whole and unchanged', () => {
    const info = (name: string, description: string) => ({ name, description, source: 'workspace' as const, location: 'agents' as const, dir: `/w/${name}`, skillFile: `/w/${name}/SKILL.md`, folder: name, shadowed: false, diagnostics: [] });
    const idx = buildSkillsIndex([info('b-two', 'Second.'), info('a-one', 'First.')], 2_000);
    assert.equal(idx.text, '# Skills\nThese skills are available. When a task matches one, call load_skill with its name to read its instructions and bundled files before you start.\n\n- a-one: First.\n- b-two: Second.\n');
    assert.deepEqual(idx.omitted, []);
    assert.equal(idx.descriptionChars, undefined);
  });
});
