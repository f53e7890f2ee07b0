/**
 * Tool-call arguments the model got wrong (not JSON, not an object) complete as calls marked
 * `invalid` with a message for the model: the stream goes on, nothing fails, nothing runs.
 */
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeLlm, script, type FakeLlm } from '../../fake-llm';
import type { ProviderKind, StreamEvent } from '../../../src/core/providers/types';
import { MAX_QUOTED_ARGS, readToolArgs } from '../../../src/core/providers/tool-args';
import { collect, fast, providerFor, request } from './helpers';

type End = Extract<StreamEvent, { type: 'tool_call_end' }>;

void describe('readToolArgs', () => {
  void test('an object is taken as is; empty means {}', () => {
    assert.deepEqual(readToolArgs('{"path":"a"}', 'read_file'), { args: { path: 'a' } });
    assert.deepEqual(readToolArgs('  ', 'read_file'), { args: {} });
  });

  void test('not JSON, an array, null, a number: invalid, with what was received', () => {
    const bad = readToolArgs('{"path": "a.txt", "content": ', 'write_file');
    assert.deepEqual(bad.args, {});
    assert.match(bad.invalid ?? '', /not valid JSON/);
    assert.match(bad.invalid ?? '', /write_file/);
    assert.ok(bad.invalid?.includes('{"path": "a.txt", "content": '), bad.invalid);
    for (const [raw, what] of [['[1,2]', 'an array'], ['null', 'null'], ['42', 'a number'], ['"x"', 'a string']] as const) {
      const r = readToolArgs(raw, 'read_file');
      assert.match(r.invalid ?? '', /not a JSON object/, raw);
      assert.ok(r.invalid?.includes(what), `${raw}: ${r.invalid}`);
    }
  });

  void test('what is quoted back is capped', () => {
    const raw = `{"content": "${'x'.repeat(50_000)}`;
    const r = readToolArgs(raw, 'write_file');
    assert.ok(r.invalid && r.invalid.length < MAX_QUOTED_ARGS + 600, `${r.invalid?.length} chars`);
    assert.ok(r.invalid?.includes(`${raw.length} characters, the first ${MAX_QUOTED_ARGS} shown`), r.invalid?.slice(0, 300));
  });
});

const KINDS: ProviderKind[] = ['openai', 'anthropic'];
for (const kind of KINDS) {
  void describe(`${kind}: bad tool-call arguments do not break the stream`, () => {
    let fake: FakeLlm;
    before(async () => (fake = await startFakeLlm()));
    after(async () => fake.close());
    beforeEach(() => fake.reset());

    void test('invalid JSON and an array complete as invalid calls; the stream stops normally', async () => {
      fake.enqueue(script.of(
        script.text('Writing.'),
        { type: 'toolCall', id: 'call_bad', name: 'write_file', rawArgs: '{"path": "a.txt", "content": ', chunks: 3 },
        { type: 'toolCall', id: 'call_arr', name: 'read_file', rawArgs: '["a.txt"]' },
        script.toolCall('read_file', { path: 'b.txt' }, { id: 'call_ok' }),
      ));
      const r = await collect(providerFor(fake, kind).stream(request(kind), fast));
      assert.equal(r.error, undefined, r.error?.message);
      const ends = r.events.filter((e): e is End => e.type === 'tool_call_end');
      assert.deepEqual(ends.map((e) => e.id), ['call_bad', 'call_arr', 'call_ok']);
      assert.match(ends[0].invalid ?? '', /not valid JSON/);
      assert.match(ends[1].invalid ?? '', /not a JSON object \(got an array\)/);
      assert.equal(ends[2].invalid, undefined);
      assert.deepEqual(ends[2].args, { path: 'b.txt' });
      assert.deepEqual(r.events.at(-1), { type: 'stop', reason: 'tool_use' });
      assert.equal(fake.requests.length, 1, 'not retried');
    });
  });
}
