/** The price table (every default model priced, dated names, overrides) and the capability / window table with its layers. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { costOf, overridePriceOf, PRICES, PRICES_CHECKED, priceOf } from '../../../src/shared/pricing';
import { capabilitiesOf, contextWindowOf, DEFAULT_CONTEXT_WINDOW, knownContextWindow, lacksTools, overrideFor } from '../../../src/shared/models';
import { BUILTIN_PROFILES } from '../../../src/core/providers/factory';
import { modelOverrideSchema, modelPriceSchema } from '../../../src/shared/model-override-schema';

const close = (a: number | null, b: number): void => assert.ok(a !== null && Math.abs(a - b) < 1e-9, `${a} ≈ ${b}`);

void describe('pricing table', () => {
  void test('every model a built-in cloud profile offers has a price, a window and capabilities', () => {
    for (const p of BUILTIN_PROFILES.filter((x) => x.requiresKey)) {
      for (const m of [p.defaultModel, ...p.models]) {
        assert.ok(priceOf(m), `${p.id}/${m} has a price`);
        assert.ok(knownContextWindow(m), `${p.id}/${m} has a window`);
        assert.ok(capabilitiesOf(m), `${p.id}/${m} has capabilities`);
      }
    }
    assert.match(PRICES_CHECKED, /^\d{4}-\d{2}-\d{2}$/);
  });

  void test('the default models cost what the vendors list', () => {
    const million = { inputTokens: 1_000_000, outputTokens: 1_000_000 };
    close(costOf('gpt-5.1', million), 1.25 + 10);
    close(costOf('claude-sonnet-4-6', million), 3 + 15);
    close(costOf('claude-opus-4-6', million), 5 + 25);
    close(costOf('claude-haiku-4-5', million), 1 + 5);
    close(costOf('gpt-5.1-codex-mini', million), 0.25 + 2);
  });

  void test('cache reads and writes at each vendor\'s rates', () => {
    // Anthropic: reads 0.1×, 5-minute writes 1.25× the input price.
    close(costOf('claude-sonnet-4-6', { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 500_000, cacheWriteTokens: 500_000 }), 0.5 * 0.3 + 0.5 * 3.75);
    // OpenAI: cached input has its own rate; writing the cache costs the plain input price.
    close(costOf('gpt-5.1', { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 1_000_000 }), 0.125);
    close(costOf('gpt-5.1', { inputTokens: 1_000_000, outputTokens: 0, cacheWriteTokens: 1_000_000 }), 1.25);
  });

  void test('dated snapshots and routed names use their family\'s price', () => {
    assert.equal(priceOf('claude-haiku-4-5-20251001'), PRICES['claude-haiku-4-5']);
    assert.equal(priceOf('gpt-4o-2024-08-06'), PRICES['gpt-4o']);
    assert.equal(priceOf('openai/gpt-5.1'), PRICES['gpt-5.1']);
    assert.equal(priceOf('Claude-Sonnet-4-6'), PRICES['claude-sonnet-4-6']);
  });

  void test('a profile override wins, by exact or normalised name; unknown models cost null, never 0', () => {
    const own = { input: 0.1, output: 0.2, cacheRead: 0.01, cacheWrite: 0.1 };
    assert.equal(priceOf('gpt-5.1', { 'gpt-5.1': own }), own);
    assert.equal(priceOf('gpt-5.1-2025-11-13', { 'gpt-5.1': own }), own);
    assert.equal(overridePriceOf('gpt-5.1', { other: own }), undefined);
    assert.equal(priceOf('my-local-llama'), undefined);
    assert.equal(costOf('my-local-llama', { inputTokens: 10, outputTokens: 10 }), null);
    close(costOf('my-local-llama', { inputTokens: 1_000_000, outputTokens: 0 }, { 'my-local-llama': own }), 0.1);
  });

  void test('settings schemas: a price with cache rates defaulting to input, overrides strict', () => {
    assert.deepEqual(modelPriceSchema.parse({ input: 1, output: 2 }), { input: 1, output: 2, cacheRead: 1, cacheWrite: 1 });
    assert.equal(modelPriceSchema.safeParse({ input: -1, output: 2 }).success, false);
    assert.deepEqual(modelOverrideSchema.parse({ tools: false, contextWindow: 8192 }), { tools: false, contextWindow: 8192 });
    assert.equal(modelOverrideSchema.safeParse({ tool: false }).success, false);
  });
});

void describe('capabilities and windows', () => {
  void test('the table: tools, images, reasoning; Ollama tags stripped; unknown → undefined', () => {
    assert.deepEqual(capabilitiesOf('gpt-5.1'), { tools: true, images: true, reasoning: true });
    assert.deepEqual(capabilitiesOf('gpt-4.1'), { tools: true, images: true, reasoning: false });
    assert.deepEqual(capabilitiesOf('o1-mini'), { tools: false, images: false, reasoning: true });
    assert.equal(capabilitiesOf('gemma3:4b')?.tools, false);
    assert.equal(capabilitiesOf('qwen2.5-coder:7b')?.tools, true);
    assert.deepEqual(capabilitiesOf('claude-sonnet-9-9'), { tools: true, images: true, reasoning: true });
    assert.equal(capabilitiesOf('my-finetune'), undefined);
    assert.equal(lacksTools('my-finetune'), false);
  });

  void test('layers: override wins, then the listing, then the table; fields they leave out come from below', () => {
    assert.equal(capabilitiesOf('gemma3', { tools: true })?.tools, true);
    assert.deepEqual(capabilitiesOf('gpt-4.1', undefined, { reasoning: true }), { tools: true, images: true, reasoning: true });
    assert.equal(capabilitiesOf('gpt-4.1', { tools: false }, { tools: true })?.tools, false);
    // Unknown model, only a listing: the rest assumed (tools tried, no images / reasoning).
    assert.deepEqual(capabilitiesOf('my-finetune', undefined, { images: true }), { tools: true, images: true, reasoning: false });
    assert.equal(lacksTools('my-finetune', { tools: false }), true);
    assert.equal(knownContextWindow('gpt-4o', { contextWindow: 64_000 }), 64_000);
    assert.equal(knownContextWindow('gpt-4o', undefined, { contextWindow: 100_000 }), 100_000);
    assert.equal(contextWindowOf('gpt-5.1'), 400_000);
    assert.equal(contextWindowOf('claude-sonnet-4-6'), 200_000);
    assert.equal(contextWindowOf('qwen2.5-coder:7b'), DEFAULT_CONTEXT_WINDOW);
    assert.equal(overrideFor({ 'qwen2.5-coder': { tools: false } }, 'qwen2.5-coder:7b')?.tools, false);
  });
});
