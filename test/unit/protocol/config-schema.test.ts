/**
 * The webview's config patch (sessions.updateConfig / sessions.create, checked by the protocol
 * schema) and the engine's (parseConfigPatch, checked again in core) must agree on every value:
 * a value the protocol lets through and core refuses fails only after the round trip, with a
 * less helpful message, and one core accepts but the protocol refuses cannot be set at all.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../../src/shared/protocol-schema';
import { parseConfigPatch } from '../../../src/core/session/config';

/** [field, value, accepted?] — the expectation is the same for both paths. */
const table: Array<[string, unknown, boolean]> = [
  ['thinking', { budgetTokens: 0 }, false],
  ['thinking', { budgetTokens: 1 }, true],
  ['thinking', { budgetTokens: 1.5 }, false],
  ['thinking', { budgetTokens: 10_000_000 }, true],
  ['thinking', { budgetTokens: 10_000_001 }, false],
  ['thinking', { budgetTokens: 1, extra: true }, false],
  ['maxOutputTokens', 0, false],
  ['maxOutputTokens', 1, true],
  ['maxOutputTokens', 10_000_001, false],
  ['autoCompactThreshold', 0, false],
  ['autoCompactThreshold', 0.01, false],
  ['autoCompactThreshold', 0.05, true],
  ['autoCompactThreshold', 1, true],
  ['autoCompactThreshold', 1.01, false],
  ['autoCompact', false, true],
  ['autoCompact', 'yes', false],
  ['mode', 'plan', true],
  ['mode', 'yolo', false],
  ['providerId', 'ollama', true],
  ['providerId', '', false],
  ['providerId', 'p'.repeat(150), true],
  ['providerId', 'p'.repeat(201), false],
  ['providerId', 'a\u0001b', false],
  ['model', 'llama3.1:8b', true],
  ['model', 'm'.repeat(200), true],
  ['model', 'm'.repeat(201), false],
  ['model', 'gpt\n4o', false],
  ['disabledRuleIds', ['agents:src/AGENTS.md'], true],
  ['disabledRuleIds', ['r'.repeat(2_000)], true],
  ['disabledRuleIds', ['r'.repeat(2_001)], false],
  ['disabledRuleIds', ['a\tb'], false],
  ['disabledRuleIds', [''], false],
  ['disabledRuleIds', Array.from({ length: 1_001 }, (_, i) => `r${i}`), false],
  ['skillOverrides', { 'fix-tests': false }, true],
  ['skillOverrides', { 'Fix Tests': false }, false],
  // zod drops an own `__proto__` key from a record (see the last test): accepted, as an empty record.
  ['skillOverrides', JSON.parse('{"__proto__": true}'), true],
  ['skillOverrides', { 'fix-tests': 'on' }, false],
  ['skillOverrides', Object.fromEntries(Array.from({ length: 1_001 }, (_, i) => [`s${i}`, true])), false],
  ['disabledMcpServers', ['github'], true],
  ['disabledMcpServers', ['g'.repeat(201)], false],
  ['disabledMcpServers', ['a\u0000b'], false],
  ['disabledMcpServers', Array.from({ length: 1_001 }, (_, i) => `m${i}`), false],
];

const viaProtocol = (patch: Record<string, unknown>): boolean =>
  parseWebviewMessage({ kind: 'request', id: 'r1', method: 'sessions.updateConfig', params: { sessionId: 's-1', patch } }).ok;
const viaCore = (patch: Record<string, unknown>): boolean => {
  try { parseConfigPatch(patch); return true; } catch { return false; } // a refusal is the answer here
};

void describe('config patch: the protocol and core agree', () => {
  void test('every value in the table gets the same answer from both paths', () => {
    const disagreements: string[] = [];
    for (const [field, value, expected] of table) {
      const patch = { [field]: value };
      const p = viaProtocol(patch);
      const c = viaCore(patch);
      const shown = `${field}=${JSON.stringify(value).slice(0, 40)}`;
      if (p !== c) disagreements.push(`${shown}: protocol ${p ? 'accepts' : 'refuses'}, core ${c ? 'accepts' : 'refuses'}`);
      else if (p !== expected) disagreements.push(`${shown}: both ${p ? 'accept' : 'refuse'}, expected ${expected ? 'accepted' : 'refused'}`);
    }
    assert.deepEqual(disagreements, []);
  });

  void test('sessions.create takes provider, model and mode by the same rules', () => {
    const create = (params: Record<string, unknown>): boolean =>
      parseWebviewMessage({ kind: 'request', id: 'r1', method: 'sessions.create', params }).ok;
    for (const [field, value] of table.filter(([f]) => f === 'providerId' || f === 'model' || f === 'mode')) {
      assert.equal(create({ [field]: value }), viaCore({ [field]: value }), `${field}=${JSON.stringify(value).slice(0, 40)}`);
    }
  });

  void test('what the webview may not set (system prompt, rules, tools) is refused by the protocol but is a core field', () => {
    for (const patch of [{ systemPrompt: 'x' }, { rules: [] }, { allowedTools: ['read_file'] }, { baseUrl: 'http://127.0.0.1:1' }]) {
      assert.equal(viaProtocol(patch), false, JSON.stringify(patch));
      assert.equal(viaCore(patch), true, JSON.stringify(patch));
    }
  });

  void test('an own __proto__ key never reaches the config', () => {
    const out = parseConfigPatch(JSON.parse('{"skillOverrides": {"__proto__": true, "fix-tests": false}}'));
    assert.deepEqual(Object.keys(out.skillOverrides ?? {}), ['fix-tests']);
    assert.equal(Object.getPrototypeOf(out.skillOverrides), Object.prototype);
  });
});
