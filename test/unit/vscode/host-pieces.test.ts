import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sessionToMarkdown } from '../../../src/vscode/export-markdown';
import { FocusTracker } from '../../../src/vscode/focus';
import { mergeProfiles } from '../../../src/vscode/providers';
import { BUILTIN_PROFILES, profileById } from '../../../src/core/providers/factory';
import { summarize } from '../../../src/vscode/status-summary';
import { contentSecurityPolicy, createNonce, renderWebviewHtml } from '../../../src/vscode/webview/html';
import { FakeManager } from './fakes';

void describe('host pieces', () => {
  void test('status summary counts running and waiting; target is the oldest waiting', () => {
    const m = new FakeManager();
    m.add('a'); m.add('b'); m.add('c');
    const list = m.list();
    list[0]!.state = 'running';
    list[1]!.state = 'awaiting_approval'; list[1]!.updatedAt = 5;
    list[2]!.state = 'awaiting_approval'; list[2]!.updatedAt = 3;
    const s = summarize(list);
    assert.equal(s.running, 1);
    assert.equal(s.waiting, 2);
    assert.equal(s.target, 'c');
    assert.match(s.tooltip, /1 running, 2 waiting/);
  });

  void test('focus follows the most recent webview report', () => {
    const f = new FocusTracker();
    const seen: Array<string | undefined> = [];
    f.onDidChange((x) => seen.push(x));
    f.setVisible('view-1', 'a');
    f.setVisible('panel-2', 'b');
    assert.equal(f.focused, 'b');
    f.forget('panel-2');
    assert.equal(f.focused, 'a');
    f.dropSession('a');
    assert.equal(f.focused, undefined);
    assert.deepEqual(seen, ['a', 'b', 'a', undefined]);
  });

  void test('settings profiles replace built-ins by id; local endpoints need no key', () => {
    const p = mergeProfiles([
      { id: 'ollama', kind: 'openai', baseUrl: 'http://localhost:9999/v1', models: ['qwen3'] },
      { id: 'corp', kind: 'openai', baseUrl: 'https://llm.corp.example/v1', models: ['big'] },
    ]);
    // Built-ins come from core's factory, in its order; settings replace by id or follow.
    assert.deepEqual(p.map((x) => x.id), [...BUILTIN_PROFILES.map((b) => b.id), 'corp']);
    const ollama = p.find((x) => x.id === 'ollama')!;
    assert.equal(ollama.baseUrl, 'http://localhost:9999/v1');
    assert.equal(ollama.requiresKey, false);
    assert.equal(ollama.defaultModel, 'qwen3');
    assert.equal(p.find((x) => x.id === 'corp')!.requiresKey, true);
    // Untouched built-ins are core's, default model first.
    const anthropic = p.find((x) => x.id === 'anthropic')!;
    assert.equal(anthropic.defaultModel, profileById('anthropic')!.defaultModel);
    assert.equal(anthropic.models[0], anthropic.defaultModel);
    assert.equal(anthropic.requiresKey, true);
    // A settings profile that only re-labels a built-in inherits its endpoint and models.
    const relabelled = mergeProfiles([{ id: 'lmstudio', kind: 'openai', models: [], label: 'My LM Studio' }]).find((x) => x.id === 'lmstudio')!;
    assert.equal(relabelled.label, 'My LM Studio');
    assert.equal(relabelled.baseUrl, profileById('lmstudio')!.baseUrl);
    assert.equal(relabelled.requiresKey, false);
    assert.deepEqual(relabelled.models, [...profileById('lmstudio')!.models]);
  });

  void test('webview HTML: strict CSP with a fresh nonce, no inline script, no remote sources', () => {
    const a = createNonce();
    assert.notEqual(a, createNonce());
    const html = renderWebviewHtml({ cspSource: 'https://x.vscode-cdn.net', nonce: a, scriptUri: 'https://x.vscode-cdn.net/dist/webview.js', codiconCssUri: 'https://x.vscode-cdn.net/dist/codicon.css', surface: 'view' });
    const csp = contentSecurityPolicy('https://x.vscode-cdn.net', a);
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.match(csp, /connect-src 'none'/);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0]![1]!, new RegExp(`nonce="${a}"`));
    assert.match(scripts[0]![1]!, /src=/);
    assert.equal(scripts[0]![2], '', 'no inline script body');
  });

  void test('export as Markdown', () => {
    const m = new FakeManager();
    const snap = m.add('a', 'My session');
    const md = sessionToMarkdown(snap, [
      { kind: 'user', key: 'u', text: 'Fix the bug', seq: 2 },
      { kind: 'assistant', key: 'a1', text: 'Looking.', thinking: '', streaming: false, seq: 3 },
      { kind: 'tool', key: 'tool:c', callId: 'c', name: 'read_file', args: { path: 'a.ts' }, status: 'done', result: 'const x = ```;', output: '', seq: 3 },
      { kind: 'marker', key: 'm:9', variant: 'cancelled', text: 'Turn cancelled', seq: 9 },
    ]);
    assert.match(md, /^# My session/);
    assert.match(md, /## User\n\nFix the bug/);
    assert.match(md, /Tool `read_file` \(done\)/);
    assert.match(md, /> Turn cancelled/);
    assert.match(md, /````\nconst x = ```;\n````/, 'fences longer than any backtick run inside');
  });
});
