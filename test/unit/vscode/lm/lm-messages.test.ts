import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HistoryMessage } from '../../../../src/core/providers/types';
import { LmPartReader, TOOL_ERROR_PREFIX, toLmMessages, toLmTools, type LmFactory } from '../../../../src/vscode/lm/lm-messages';
import { lmModelInfo, lmProbeResult, vscodeLmProfile } from '../../../../src/vscode/lm/lm-model-info';

/** A tiny stand-in for the vscode constructors: plain tagged objects. */
type Part = { t: 'text'; value: string } | { t: 'call'; callId: string; name: string; input: object } | { t: 'result'; callId: string; content: Part[] };
type Msg = { role: 'user' | 'assistant'; parts: Part[] };
const fake: LmFactory<Msg, Part> = {
  user: (parts) => ({ role: 'user', parts }),
  assistant: (parts) => ({ role: 'assistant', parts }),
  text: (value) => ({ t: 'text', value }),
  toolCall: (callId, name, input) => ({ t: 'call', callId, name, input }),
  toolResult: (callId, content) => ({ t: 'result', callId, content }),
};

void describe('vscode.lm message mapping', () => {
  void test('no system role: the system prompt is the first part of the first user message', () => {
    const out = toLmMessages('You are an agent.', [{ id: 'u1', role: 'user', content: 'Hi' }], fake);
    assert.deepEqual(out, [{ role: 'user', parts: [{ t: 'text', value: 'You are an agent.' }, { t: 'text', value: 'Hi' }] }]);
  });

  void test('tool calls go in assistant messages, results in the next user message; roles alternate', () => {
    const history: HistoryMessage[] = [
      { id: 'u1', role: 'user', content: 'List files' },
      { id: 'a1', role: 'assistant', content: [
        { type: 'thinking', text: 'hidden' },
        { type: 'text', text: 'Looking.' },
        { type: 'tool_call', id: 'c1', name: 'list_files', args: { path: '.' } },
        { type: 'tool_call', id: 'c2', name: 'read_file', args: { path: 'x' } },
      ] },
      { id: 't1', role: 'tool', toolCallId: 'c1', toolName: 'list_files', content: 'a.js' },
      { id: 't2', role: 'tool', toolCallId: 'c2', toolName: 'read_file', content: 'no such file', isError: true },
      { id: 'u2', role: 'user', content: 'And now?' },
      { id: 'a2', role: 'assistant', content: [] },
      { id: 'a3', role: 'assistant', content: [{ type: 'text', text: 'Done.' }] },
    ];
    const out = toLmMessages('SYS', history, fake);
    assert.deepEqual(out.map((m) => m.role), ['user', 'assistant', 'user', 'assistant']);
    assert.deepEqual(out[1]!.parts, [
      { t: 'text', value: 'Looking.' },
      { t: 'call', callId: 'c1', name: 'list_files', input: { path: '.' } },
      { t: 'call', callId: 'c2', name: 'read_file', input: { path: 'x' } },
    ]);
    assert.deepEqual(out[2]!.parts, [
      { t: 'result', callId: 'c1', content: [{ t: 'text', value: 'a.js' }] },
      { t: 'result', callId: 'c2', content: [{ t: 'text', value: `${TOOL_ERROR_PREFIX}no such file` }] },
      { t: 'text', value: 'And now?' },
    ]);
    assert.deepEqual(out[3]!.parts, [{ t: 'text', value: 'Done.' }]);
  });

  void test('a history that does not start with a user message still gets the system prompt in a user message first', () => {
    const out = toLmMessages('SYS', [{ id: 'a', role: 'assistant', content: [{ type: 'text', text: 'x' }] }], fake);
    assert.deepEqual(out.map((m) => m.role), ['user', 'assistant']);
    assert.deepEqual(out[0]!.parts, [{ t: 'text', value: 'SYS' }]);
  });

  void test('tools keep name, description and schema', () => {
    const schema = { type: 'object', properties: { path: { type: 'string' } } };
    assert.deepEqual(toLmTools([{ name: 'read_file', description: 'Reads', inputSchema: schema }]), [{ name: 'read_file', description: 'Reads', inputSchema: schema }]);
  });
});

void describe('vscode.lm response parts → stream events', () => {
  void test('text parts are deltas; a tool call part is start + end with its parsed input', () => {
    const r = new LmPartReader();
    assert.deepEqual(r.read({ kind: 'text', value: 'Hel' }), [{ type: 'text_delta', text: 'Hel' }]);
    assert.deepEqual(r.read({ kind: 'text', value: '' }), []);
    assert.deepEqual(r.read({ kind: 'other' }), []);
    assert.deepEqual(r.read({ kind: 'tool_call', callId: 'c1', name: 'read_file', input: { path: 'a' } }), [
      { type: 'tool_call_start', id: 'c1', name: 'read_file' },
      { type: 'tool_call_end', id: 'c1', name: 'read_file', args: { path: 'a' } },
    ]);
    assert.equal(r.text, 'Hel');
    assert.equal(r.calledTools, true);
  });

  void test('an input that is not an object is an invalid call (never run); missing or repeated ids are made unique', () => {
    const r = new LmPartReader();
    const [, bad] = r.read({ kind: 'tool_call', callId: '', name: 'read_file', input: ['x'] });
    assert.equal(bad?.type, 'tool_call_end');
    if (bad?.type !== 'tool_call_end') return;
    assert.deepEqual(bad.args, {});
    assert.match(bad.invalid ?? '', /not a JSON object/);
    assert.equal(bad.id, 'vscode_lm_call_1');
    const [again] = r.read({ kind: 'tool_call', callId: 'vscode_lm_call_1', name: 'x', input: '{"a":1}' });
    assert.deepEqual(again, { type: 'tool_call_start', id: 'vscode_lm_call_1_2', name: 'x' });
  });
});

void describe('vscode.lm models as we show them', () => {
  const copilotModel = { id: 'gpt-4.1', name: 'GPT-4.1', vendor: 'copilot', family: 'gpt-4.1', maxInputTokens: 111_000, capabilities: { supportsToolCalling: true, supportsImageToText: true } };

  void test('a model says who bills it, and has no price', () => {
    const info = lmModelInfo(copilotModel);
    assert.equal(info.label, 'GPT-4.1 — billed by GitHub Copilot');
    assert.equal(info.contextWindow, 111_000);
    assert.deepEqual(info.capabilities, { tools: true, images: true, reasoning: false });
    assert.equal(info.price, undefined);
    assert.equal(lmModelInfo({ ...copilotModel, vendor: 'acme-lm' }).label, 'GPT-4.1 — billed by acme-lm');
  });

  void test('the probe offers the profile only when a model answers', () => {
    assert.equal(lmProbeResult([]), undefined);
    assert.deepEqual(lmProbeResult([copilotModel]), { providerId: 'vscode-lm', label: 'VS Code language models (GitHub Copilot)', models: ['gpt-4.1'] });
  });

  void test('the profile needs no key and suggests "auto" first, then the models last seen', () => {
    const p = vscodeLmProfile(['gpt-4.1', 'auto']);
    assert.equal(p.requiresKey, false);
    assert.equal(p.kind, 'vscode-lm');
    assert.deepEqual(p.models, ['auto', 'gpt-4.1']);
  });
});
