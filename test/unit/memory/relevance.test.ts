import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { MemoryEntry } from '../../../src/shared/knowledge-types';
import { chooseMemories, contextLine, memoryBudget, MEMORY_BUDGET_CEILING, MEMORY_BUDGET_FLOOR, rankEntries } from '../../../src/core/memory/relevance';

const entries: MemoryEntry[] = [
  { id: 'a1', text: 'The webview tests need npm run build first', topic: 'Tests', createdAt: 1_000 },
  { id: 'b2', text: 'Use tabs for indentation in Go files', topic: 'Style', createdAt: 2_000 },
  { id: 'c3', text: 'Release notes are written from CHANGELOG.md', createdAt: 3_000 },
  { id: 'd4', text: 'The staging database is read-only on Fridays' },
  ...Array.from({ length: 200 }, (_, i) => ({ id: `f${i}`, text: `Filler fact ${i} about unrelated thing number ${i} in the system`, createdAt: 10 + i })),
];

void describe('memory relevance', () => {
  void test('budget: 2% of the context window at 4 chars a token, within floor and ceiling', () => {
    assert.equal(memoryBudget(32_000), 2_560);
    assert.equal(memoryBudget(undefined), MEMORY_BUDGET_CEILING);
    assert.equal(memoryBudget(1_000_000), MEMORY_BUDGET_CEILING);
    assert.equal(memoryBudget(4_000), MEMORY_BUDGET_FLOOR);
  });

  void test('word overlap ranks first (the topic counts), then recency', () => {
    const ranked = rankEntries(entries, 'Why do the webview tests fail? Is the build missing?');
    assert.equal(ranked[0].entry.id, 'a1');
    assert.equal(rankEntries(entries, 'go style')[0].entry.id, 'b2');
    // No shared words: newest first (c3 is the newest dated entry).
    assert.equal(rankEntries(entries, 'zzz')[0].entry.id, 'c3');
  });

  void test('chosen within the budget, relevant ones kept even when the filler does not fit, deterministic', () => {
    const budget = 600;
    const chosen = chooseMemories(entries, 'release notes from the changelog, and the webview build', budget);
    const used = chosen.reduce((n, e) => n + contextLine(e).length + 1, 0);
    assert.ok(used <= budget, `${used} <= ${budget}`);
    assert.ok(chosen.some((e) => e.id === 'c3') && chosen.some((e) => e.id === 'a1'));
    assert.ok(chosen.length < entries.length);
    // Same input, same output (and in file order).
    assert.deepEqual(chooseMemories(entries, 'release notes from the changelog, and the webview build', budget), chosen);
    const order = chosen.map((e) => entries.indexOf(e));
    assert.deepEqual(order, [...order].sort((x, y) => x - y));
    assert.deepEqual(chooseMemories([...entries].reverse(), 'x', 10), []);
  });
});
