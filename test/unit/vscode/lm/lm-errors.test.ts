import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LM_CONSENT_HINT, lmErrorToAgentError, parseLmRetryAfter } from '../../../../src/vscode/lm/lm-errors';

/** What VS Code's LanguageModelError looks like (name, code, message, cause). */
function lmError(code: string, message: string, cause?: unknown): Error & { code: string } {
  const e = new Error(message, cause === undefined ? undefined : { cause }) as Error & { code: string };
  e.name = 'LanguageModelError';
  e.code = code;
  return e;
}

const copilot = { vendorLabel: 'GitHub Copilot', model: 'gpt-4.1' };

void describe('vscode.lm errors → our vocabulary', () => {
  void test('NoPermissions (the consent dialog declined or not answered) is auth with the consent hint, not retried', () => {
    const e = lmErrorToAgentError(lmError('NoPermissions', "Language model 'copilot/gpt-4.1' cannot be used by 'agent-sessions.agent-sessions'."), copilot);
    assert.equal(e.code, 'auth');
    assert.equal(e.retryable, false);
    assert.equal(e.hint, LM_CONSENT_HINT);
    assert.match(e.message, /cannot be used by/);
  });

  void test('NotFound is not_found, naming the model', () => {
    const e = lmErrorToAgentError(lmError('NotFound', "Language model 'x' is unknown."), copilot);
    assert.equal(e.code, 'not_found');
    assert.match(e.message, /"gpt-4\.1"/);
    assert.match(e.hint ?? '', /Pick another model/);
  });

  void test('Blocked (quota limits exceeded, per vscode.d.ts) is quota_exceeded: waiting does not help', () => {
    const e = lmErrorToAgentError(lmError('Blocked', 'Request blocked.'), copilot);
    assert.equal(e.code, 'quota_exceeded');
    assert.equal(e.retryable, false);
    assert.match(e.hint ?? '', /GitHub Copilot quota/);
  });

  void test("Copilot's quota texts in the cause of an Unknown error are quota_exceeded", () => {
    for (const text of [
      'You have exceeded your premium request allowance. We have automatically switched you to GPT-4.1 which is included with your plan.',
      "You've reached your monthly chat messages quota.",
      'Server error: 402 {"error":{"message":"You have no quota","code":"quota_exceeded"}}',
    ]) {
      const e = lmErrorToAgentError(lmError('Unknown', 'Request failed', new Error(text)), copilot);
      assert.equal(e.code, 'quota_exceeded', text);
      assert.match(e.message, /Request failed — /);
    }
  });

  void test("Copilot's rate-limit texts are rate_limited (retryable) with the wait they name", () => {
    const cases: Array<[string, number | undefined]> = [
      ['Sorry, your request was rate-limited. Please wait 3 hours 23 minutes before trying again.', (3 * 60 + 23) * 60_000],
      ["Sorry, you have exhausted this model's rate limit. Please wait 78 seconds before trying again, or switch to a different model.", 78_000],
      ["Sorry, you have exhausted this model's rate limit. Please wait 1 minutes before trying again.", 60_000],
      ["Sorry, you have exhausted this model's rate limit. Please wait a moment before trying again.", undefined],
    ];
    for (const [text, wait] of cases) {
      const e = lmErrorToAgentError(lmError('Unknown', text), copilot);
      assert.equal(e.code, 'rate_limited', text);
      assert.equal(e.retryable, true);
      assert.equal(e.retryAfterMs, wait, text);
    }
  });

  void test('a cancellation (VS Code CancellationError, or our own abort) is cancelled', () => {
    const canceled = Object.assign(new Error('Canceled'), { name: 'Canceled' });
    assert.equal(lmErrorToAgentError(canceled).code, 'cancelled');
    assert.equal(lmErrorToAgentError(lmError('Unknown', 'rate limit'), {}, true).code, 'cancelled');
  });

  void test('context and tool-support failures get their own codes; anything else keeps its message as unknown', () => {
    assert.equal(lmErrorToAgentError(new Error("This model's maximum context length is 128000 tokens.")).code, 'context_overflow');
    const tools = lmErrorToAgentError(new Error('This model does not support tool calling'), { model: 'phi' });
    assert.equal(tools.code, 'unsupported');
    assert.equal(tools.retryable, false);
    const other = lmErrorToAgentError('weird');
    assert.equal(other.code, 'unknown');
    assert.equal(other.message, 'weird');
  });

  void test('parseLmRetryAfter reads only a wait it names', () => {
    assert.equal(parseLmRetryAfter('Please wait 6 minutes before trying again'), 360_000);
    assert.equal(parseLmRetryAfter('try again in 30 seconds'), 30_000);
    assert.equal(parseLmRetryAfter('Please wait a moment'), undefined);
    assert.equal(parseLmRetryAfter('gpt-4 has 8192 tokens'), undefined);
  });
});
