/**
 * A model known not to call tools (the model table, the profile's override, the server's listing)
 * fails the turn before anything is sent, with an 'unsupported' error naming the model and the way
 * out; unknown models, and models an override says can, are sent as usual.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { script, startFakeLlm, type FakeLlm } from '../../fake-llm';
import { startHarness, type Harness } from './harness';
import type { SessionManagerDeps } from '../../../src/core/session/manager-deps';

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); });

async function harness(deps: Partial<SessionManagerDeps> = {}): Promise<Harness> {
  fake.reset();
  return startHarness({ fake, deps });
}

/** Sends one prompt on `model`; the turn's end event. */
async function turnOn(h: Harness, model: string) {
  const s = await h.manager.create({ config: { model } });
  await h.manager.send(s.id, 'hi');
  await h.manager.whenIdle(s.id);
  const end = h.of(s.id).find((e) => e.type === 'turn.failed' || e.type === 'turn.completed');
  assert.ok(end, 'the turn ended');
  return end;
}

const profiles = (fakeUrl: string, modelOverrides?: Record<string, { tools?: boolean; contextWindow?: number }>): SessionManagerDeps['providerProfiles'] => ({
  openai: { kind: 'openai', baseUrl: fakeUrl, ...(modelOverrides ? { modelOverrides } : {}) },
});

void describe('tools on a model that cannot call them', () => {
  void test('the table says so (o1-mini): the turn fails before the request, naming the model and what to do', async () => {
    const h = await harness();
    const end = await turnOn(h, 'o1-mini');
    assert.equal(end.type, 'turn.failed');
    if (end.type !== 'turn.failed') return;
    assert.equal(end.error.code, 'unsupported');
    assert.match(end.error.message, /"o1-mini" cannot call tools/);
    assert.match(end.error.hint ?? '', /model that supports tool calling/);
    assert.equal(fake.requests.length, 0, 'nothing was sent');
    await h.close();
  });

  void test('a profile override marks a local model tools: false; an override tools: true lets a table entry through', async () => {
    const h = await harness({ providerProfiles: profiles(fake.openaiBaseUrl, { 'my-local': { tools: false }, 'o1-mini': { tools: true } }) });
    const failed = await turnOn(h, 'my-local:7b');
    assert.equal(failed.type, 'turn.failed');
    assert.equal(fake.requests.length, 0);
    fake.enqueue(script.text('fine'));
    const sent = await turnOn(h, 'o1-mini');
    assert.equal(sent.type, 'turn.completed');
    assert.equal(fake.requests.length, 1);
    await h.close();
  });

  void test('the server listing says so (listedModel); an unknown model is tried', async () => {
    const h = await harness({ listedModel: (_id, model) => (model === 'x/no-tools' ? { tools: false } : undefined) });
    assert.equal((await turnOn(h, 'x/no-tools')).type, 'turn.failed');
    assert.equal(fake.requests.length, 0);
    fake.enqueue(script.text('hello'));
    assert.equal((await turnOn(h, 'some-unknown-model')).type, 'turn.completed');
    assert.equal(fake.requests.length, 1);
    await h.close();
  });
});

void describe('the context window follows the model', () => {
  void test('an override or listing window goes into the config; a switch to a model nobody knows drops it (the table applies)', async () => {
    const h = await harness({
      providerProfiles: profiles(fake.openaiBaseUrl, { 'small-local': { contextWindow: 8_192 } }),
      listedModel: (_id, model) => (model === 'listed-big' ? { contextWindow: 131_072 } : undefined),
    });
    const s = await h.manager.create({ config: { model: 'small-local' } });
    assert.equal(s.config.contextWindow, 8_192);
    assert.equal(s.context.window, 8_192, 'the meter uses it');
    assert.equal((await h.manager.updateConfig(s.id, { model: 'listed-big' })).config.contextWindow, 131_072);
    assert.equal((await h.manager.updateConfig(s.id, { model: 'gpt-4o-mini' })).config.contextWindow, undefined);
    assert.equal((await h.manager.updateConfig(s.id, { model: 'small-local', contextWindow: 4_096 })).config.contextWindow, 4_096, 'a window given with the patch wins');
    assert.equal((await h.manager.updateConfig(s.id, { mode: 'plan' })).config.contextWindow, 4_096, 'other changes keep it');
    const plain = await h.manager.create({ config: { model: 'gpt-4o-mini' } });
    assert.equal(plain.config.contextWindow, undefined);
    await h.close();
  });
});
