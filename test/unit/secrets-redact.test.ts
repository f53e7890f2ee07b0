/** Core redaction rules (src/core/base/redact.ts) and the provider-error hook. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { REDACTED, SecretRedactor, patternRedactor, redactAgentError, redactDeep, redactSecrets } from '../../src/core/base/redact';
import { AgentError } from '../../src/core/base/errors';
import { normalizeProviderError } from '../../src/core/providers/errors';

const KEY = 'fake-key-7Hq2ZpX9mL4wR8vT3nB6wY5s';

void describe('redaction of recorded text', () => {
  void test('known values, whole and truncated at either end', () => {
    const r = new SecretRedactor();
    r.add(KEY);
    assert.equal(r.redact(`key ${KEY}.`), `key ${REDACTED}.`);
    assert.equal(r.redact(`got ${KEY.slice(0, 14)}… (truncated)`), `got ${REDACTED}… (truncated)`);
    assert.equal(r.redact(`ends in …${KEY.slice(-13)}`), `ends in …${REDACTED}`);
    assert.deepEqual([...r], [KEY]);
    r.add('1234'); // too short for recorded text (would hit ordinary numbers); the log still redacts it
    assert.equal(r.redact('line 1234'), 'line 1234');
  });

  void test('credential headers and key shapes, without knowing the key', () => {
    const cases = [
      'Authorization: Bearer abc123def456ghi789',
      '{"authorization":"Bearer abc123def456ghi789"}',
      'x-api-key: abc123def456ghi789',
      "{'x-api-key': 'abc123def456ghi789'}",
      'Authorization:[Bearer abc123def456ghi789]',
      'token sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12',
      'sk-ant-api03-Ab12Cd34Ef56Gh78Ij90Kl12Mn34',
      'ghp_Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78',
    ];
    for (const c of cases) {
      const out = redactSecrets(c);
      assert.ok(!/abc123def456ghi789|Ab12Cd34/.test(out), `${c} → ${out}`);
      assert.ok(out.includes(REDACTED), c);
    }
  });

  void test('code that handles credentials is left as written (the model edits what it reads)', () => {
    const code = [
      'headers: { Authorization: `Bearer ${token}` }',
      "headers: { 'x-api-key': process.env.ANTHROPIC_API_KEY }",
      "const auth = 'Bearer ' + apiKey;",
      'new Anthropic({ apiKey: "sk-ant-test" })',
      'Authorization: Bearer <YOUR_API_KEY>',
      'curl -H "x-api-key: $ANTHROPIC_API_KEY"',
    ];
    for (const c of code) assert.equal(patternRedactor.redact(c), c);
  });

  void test('redactDeep scrubs nested fields and copies only what changed', () => {
    const r = new SecretRedactor();
    r.add(KEY);
    const untouched = { summary: 'ls -la', args: { path: 'src' } };
    const body = {
      type: 'tool.completed', untouched,
      content: [{ type: 'text', text: `here ${KEY}` }, { type: 'tool_call', args: { text: `curl -H "Authorization: Bearer ${KEY}"` } }],
      error: { code: 'auth', message: `Invalid credentials ${KEY}` },
      n: 3, ok: true, none: null,
    };
    const out = redactDeep(body, r);
    assert.ok(!JSON.stringify(out).includes(KEY));
    assert.ok(!JSON.stringify(out).includes('7Hq2ZpX9'));
    assert.ok(JSON.stringify(body).includes(KEY), 'the input is not mutated');
    assert.equal(out.untouched, untouched, 'clean branches keep their identity');
    assert.equal(out.n, 3);
    const clean = { a: [1, 'two', { b: 'three' }] };
    assert.equal(redactDeep(clean, r), clean);
  });

  void test('redactAgentError keeps code, status, retryability and hint', () => {
    const r = new SecretRedactor();
    r.add(KEY);
    const e = new AgentError('network', `boom ${KEY}`, { status: 502, retryable: true, retryAfterMs: 10, hint: 'retry' });
    const out = redactAgentError(e, r);
    assert.deepEqual(out.toJSON(), { code: 'network', message: `boom ${REDACTED}`, retryable: true, retryAfterMs: 10, status: 502, hint: 'retry' });
    const clean = new AgentError('auth', 'no');
    assert.equal(redactAgentError(clean, r), clean);
  });
});

void describe('provider errors are redacted where they are normalised', () => {
  void test('a 401 body echoing Authorization: Bearer and x-api-key', () => {
    const openai = normalizeProviderError({ status: 401, error: { error: { message: 'Bad key; headers {Authorization: Bearer abc123def456ghi789}', type: 'invalid_request_error' } } });
    assert.equal(openai.code, 'auth');
    assert.ok(!openai.message.includes('abc123def456ghi789'), openai.message);
    const anthropic = normalizeProviderError({ status: 500, error: { type: 'error', error: { type: 'api_error', message: 'upstream said x-api-key: abc123def456ghi789' } } });
    assert.equal(anthropic.code, 'network');
    assert.equal(anthropic.retryable, true);
    assert.ok(!anthropic.message.includes('abc123def456ghi789'), anthropic.message);
  });

  void test('a known key echoed bare, with the redactor hint', () => {
    const r = new SecretRedactor();
    r.add(KEY);
    const e = normalizeProviderError({ status: 403, error: { error: { message: `key ${KEY} is not allowed` } } }, { redactor: r });
    assert.equal(e.message, `Authentication failed: key ${REDACTED} is not allowed`);
    const conn = normalizeProviderError(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), { connection: true, redactor: r });
    assert.equal(conn.code, 'network');
  });
});
