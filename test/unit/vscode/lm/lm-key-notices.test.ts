import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nullLogger } from '../../../../src/core/ports';
import { KeyNotices } from '../../../../src/vscode/host/key-notices';
import { vscodeLmProfile } from '../../../../src/vscode/lm/lm-model-info';
import { FakeManager } from '../fakes';

void describe('vscode-lm and key notices', () => {
  void test('a declined consent (auth) on VS Code\'s language models offers no "Set key"; another provider\'s refusal still does', async () => {
    const manager = new FakeManager();
    const shown: string[] = [];
    const notices = new KeyNotices({
      services: () => ({
        setNotice: () => undefined, clearNotice: () => undefined,
        profile: (id) => (id === 'vscode-lm' ? vscodeLmProfile() : { id, label: 'OpenAI', kind: 'openai', models: [], requiresKey: false }),
      }),
      secrets: { hasApiKey: async () => false },
      logger: nullLogger,
      showError: async (message) => { shown.push(message); return undefined; },
      runAction: async () => undefined,
    });
    notices.watch(manager);
    const lm = manager.add('lm');
    lm.config.providerId = 'vscode-lm';
    lm.config.providerKind = 'vscode-lm';
    manager.add('other');
    manager.emit('lm', { type: 'turn.failed', error: { code: 'auth', message: 'may not use', retryable: false } } as never);
    manager.emit('other', { type: 'turn.failed', error: { code: 'auth', message: '401', retryable: false } } as never);
    while (shown.length < 1) await new Promise((r) => setImmediate(r));
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    assert.deepEqual(shown, ['OpenAI refused the credentials: 401']);
    notices.dispose();
  });
});
