/**
 * The MCP question card: an elicitation form rendered from the server's schema (the shape
 * server-everything sends), typed values posted with questions.answer; sampling Approve/Decline;
 * answered questions show the answer; a tool's progress shows as a bar.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { PendingQuestion } from '../../src/shared/knowledge-types';
import type { ToolRecord, TranscriptRecord } from '../../src/shared/transcript';
import { launch, openWebview, opened, snapshot, snapshotMessage, withState, type WebviewPage } from './harness';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

const elicit: PendingQuestion = {
  id: 'q1', sessionId: 'a', server: 'everything', kind: 'elicitation', callId: 'c1', requestedAt: 1,
  message: 'Please provide inputs for the following fields:',
  schema: {
    type: 'object', required: ['name'],
    properties: {
      name: { title: 'String', type: 'string', description: 'Your full, legal name' },
      check: { title: 'Boolean', type: 'boolean' },
      integer: { title: 'Integer', type: 'integer', minimum: 1, maximum: 100, default: 42 },
      number: { title: 'Number', type: 'number', default: 3.14 },
      pet: { title: 'Pet', type: 'string', enum: ['pet-1', 'pet-2'], enumNames: ['Cats', 'Dogs'], default: 'pet-1' },
      hero: { title: 'Hero', type: 'string', oneOf: [{ const: 'hero-1', title: 'Superman' }, { const: 'hero-2', title: 'Wonder Woman' }] },
      fish: { title: 'Fish', type: 'array', items: { anyOf: [{ const: 'fish-1', title: 'Tuna' }, { const: 'fish-2', title: 'Salmon' }] }, default: ['fish-1'] },
    },
  },
};

function toolRow(over: Partial<ToolRecord>): ToolRecord {
  return { kind: 'tool', key: 'tool:c1', seq: 3, callId: 'c1', name: 'mcp__everything__trigger-elicitation-request', args: {}, status: 'running', output: '', ...over };
}

async function openWith(entries: TranscriptRecord[], pendingQuestions: PendingQuestion[] = []): Promise<WebviewPage> {
  const w = await openWebview(browser);
  const s = withState(snapshot('a', { lastSeq: 10, pendingQuestions }), pendingQuestions.length ? 'awaiting_approval' : 'running');
  await w.push(snapshotMessage([s], [opened(s, entries)], 'a'));
  await w.page.getByRole('log', { name: 'Transcript' }).waitFor();
  return w;
}

const card = (w: WebviewPage) => w.page.getByRole('group', { name: 'Question from everything' });

void describe('question card', () => {
  void test('elicitation: a form from the schema (required marks, defaults, enums); Accept posts typed values', async () => {
    const w = await openWith([toolRow({ questions: [{ question: elicit }] })], [elicit]);
    const c = card(w);
    await c.waitFor();
    assert.match(await c.textContent() ?? '', /Please provide inputs/);
    assert.equal(await c.getByLabel('Integer').inputValue(), '42');
    assert.equal(await c.getByLabel('Pet').inputValue(), 'pet-1');
    assert.ok(await c.getByRole('option', { name: 'Dogs' }).count() === 1, 'enumNames label the options');
    assert.ok(await c.getByRole('option', { name: 'Wonder Woman' }).count() === 1, 'oneOf titles label the options');
    assert.equal(await c.getByRole('checkbox', { name: 'Tuna' }).isChecked(), true);
    // Required and empty: not sent, said on the card.
    await c.getByRole('button', { name: 'Accept' }).click();
    await c.getByRole('alert').waitFor();
    assert.equal((await w.posted()).filter((m) => m.kind === 'request' && m.method === 'questions.answer').length, 0);
    await c.getByLabel('String').fill('Ada Lovelace');
    await c.getByRole('checkbox', { name: 'Boolean' }).check();
    await c.getByLabel('Integer').fill('7');
    await c.getByLabel('Hero').selectOption('hero-2');
    await c.getByRole('checkbox', { name: 'Salmon' }).check();
    await c.getByRole('button', { name: 'Accept' }).click();
    const req = await w.waitForRequest('questions.answer');
    assert.deepEqual(req.params, {
      sessionId: 'a', questionId: 'q1', action: 'accept',
      content: { name: 'Ada Lovelace', check: true, integer: 7, number: 3.14, pet: 'pet-1', hero: 'hero-2', fish: ['fish-1', 'fish-2'] },
    });
    await w.reply(req.id, {});
    await w.page.close();
  });

  void test('elicitation Decline and Cancel post their action; an answered question shows the answer, no buttons', async () => {
    const w = await openWith([toolRow({ questions: [{ question: elicit }] })], [elicit]);
    await card(w).getByRole('button', { name: 'Decline' }).click();
    const req = await w.waitForRequest('questions.answer');
    assert.deepEqual(req.params, { sessionId: 'a', questionId: 'q1', action: 'decline' });
    await w.reply(req.id, {});
    await w.page.close();
    const done = await openWith([toolRow({ status: 'done', result: 'ok', questions: [{ question: elicit, answer: { action: 'accept', content: { name: 'Ada' }, by: 'user' } }] })]);
    await card(done).getByText('Accepted: name: Ada').waitFor();
    assert.equal(await card(done).getByRole('button').count(), 0);
    await done.page.close();
  });

  void test('sampling: shows the request; Approve posts accept; a progress bar shows the tool\'s progress', async () => {
    const q: PendingQuestion = {
      id: 'q2', sessionId: 'a', server: 'everything', kind: 'sampling', callId: 'c1', requestedAt: 1, message: 'a completion',
      sampling: { messages: [{ role: 'user', text: 'Resource context: name a colour' }], systemPrompt: 'You are a helpful test server.', maxTokens: 50 },
    };
    const w = await openWith([toolRow({ questions: [{ question: q }], progress: { progress: 3, total: 10, message: 'step 3' } })], [q]);
    const c = card(w);
    await c.getByText('name a colour').waitFor();
    assert.match(await c.textContent() ?? '', /You are a helpful test server\.[\s\S]*Up to 50 tokens/);
    const bar = w.page.getByRole('progressbar');
    assert.equal(await bar.getAttribute('max'), '10');
    assert.match(await w.page.locator('as-tool-card').locator('[data-progress]').textContent() ?? '', /step 3/);
    await c.getByRole('button', { name: 'Approve' }).click();
    const req = await w.waitForRequest('questions.answer');
    assert.deepEqual(req.params, { sessionId: 'a', questionId: 'q2', action: 'accept' });
    await w.reply(req.id, {});
    await w.page.close();
  });
});
