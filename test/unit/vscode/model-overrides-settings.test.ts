/** A settings profile's `prices` and `modelOverrides`: validated, carried to the merged profile, and winning in the picker's entries. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readSettings, type SettingInspection, type SettingKey } from '../../../src/vscode/settings';
import { mergeProfiles } from '../../../src/vscode/providers';
import { infoOf } from '../../../src/vscode/models-service';

const inspectFrom = (values: Partial<Record<SettingKey, SettingInspection>>) => (key: SettingKey) => values[key];

void describe('profile prices and model overrides from settings', () => {
  void test('valid ones reach the merged profile (cache rates default to input) and win over the tables', () => {
    const r = readSettings(inspectFrom({
      providers: { globalValue: [{
        id: 'vllm', kind: 'openai', baseUrl: 'http://127.0.0.1:8000/v1', models: ['qwen-coder', 'gpt-4.1'],
        prices: { 'qwen-coder': { input: 0.2, output: 0.6 } }, modelOverrides: { 'qwen-coder': { contextWindow: 65_536, tools: false }, 'gpt-4.1': { images: false } },
      }] },
    }));
    assert.deepEqual(r.problems, []);
    const p = mergeProfiles(r.settings.providers).find((x) => x.id === 'vllm');
    assert.ok(p);
    assert.deepEqual(p.prices, { 'qwen-coder': { input: 0.2, output: 0.6, cacheRead: 0.2, cacheWrite: 0.2 } });
    assert.deepEqual(infoOf(p, 'qwen-coder'), {
      id: 'qwen-coder', contextWindow: 65_536, capabilities: { tools: false, images: false, reasoning: false },
      price: { input: 0.2, output: 0.6, cacheRead: 0.2, cacheWrite: 0.2 },
    });
    assert.deepEqual(infoOf(p, 'gpt-4.1').capabilities, { tools: true, images: false, reasoning: false });
  });

  void test('a bad price or an unknown override field is a reported problem, not a silent default', () => {
    const r = readSettings(inspectFrom({
      providers: { globalValue: [{ id: 'x', kind: 'openai', prices: { m: { input: -1, output: 1 } } }] },
    }));
    assert.equal(r.problems.length, 1);
    assert.deepEqual(r.settings.providers, []);
    const r2 = readSettings(inspectFrom({ providers: { globalValue: [{ id: 'x', kind: 'openai', modelOverrides: { m: { tool: false } } }] } }));
    assert.equal(r2.problems.length, 1);
  });
});
