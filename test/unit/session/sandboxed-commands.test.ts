/**
 * Commands through the whole engine with the OS sandbox (issue 10): the real permission engine,
 * the real run_command and real bubblewrap, driven by the fake LLM. Mode `full` runs what cannot
 * be analysed, sandboxed; a protected write is refused, named on the card, and "run unsandboxed
 * once" is an approval of its own.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { script, lastToolResult, startFakeLlm, type FakeLlm } from '../../fake-llm';
import { startHarness, type Harness } from './harness';
import { CommandIsolation, type SandboxSettings } from '../../../src/core/sandbox/isolation';
import { ToolRegistry } from '../../../src/core/tools/registry';
import { createRunCommandTool } from '../../../src/core/tools/run-command';
import { gitInit, outsideTmp, realBubblewrap } from '../sandbox/helpers';
import type { CommandSandbox } from '../../../src/core/sandbox/types';
import type { EventOf } from '../../../src/core/session/events';

const WRITE_SETTINGS = `python3 -c "open('.vscode/settings.json','w').write('pwned')"`;

let fake: FakeLlm;
let sandbox: CommandSandbox;
let skip: string | undefined;
before(async () => { fake = await startFakeLlm(); ({ sandbox, skip } = await realBubblewrap()); });
after(async () => { await fake.close(); });

async function setup(settings: Partial<SandboxSettings> = {}, command = WRITE_SETTINGS): Promise<{ h: Harness; ws: string; cleanup(): void }> {
  const { dir: ws, cleanup } = outsideTmp('engine-sandbox-');
  gitInit(ws);
  mkdirSync(path.join(ws, '.vscode'));
  writeFileSync(path.join(ws, '.vscode/settings.json'), '{}\n');
  fake.reset();
  fake.setResponder((req) => {
    const r = lastToolResult(req);
    return r ? script.text(`saw: ${r.content}`) : script.toolCall('run_command', { command });
  });
  const isolation = new CommandIsolation(sandbox, () => ({ mode: 'auto', extraProtected: [], extraHidden: [], ...settings }));
  const h = await startHarness({ fake, deps: { tools: new ToolRegistry([createRunCommandTool()]), workspaceRoots: [ws], isolation } });
  return { h, ws, cleanup };
}

const started = (h: Harness, id: string) => h.of(id).find((e): e is EventOf<'tool.started'> => e.type === 'tool.started');
const completed = (h: Harness, id: string) => h.of(id).find((e): e is EventOf<'tool.completed'> => e.type === 'tool.completed');

void describe('sandboxed commands through the engine', () => {
  void test('full mode: an unanalysable command runs sandboxed; the protected write is refused and named; denying "run unsandboxed once" leaves the file unchanged', { skip }, async () => {
    const { h, ws, cleanup } = await setup();
    try {
      const s = await h.manager.create({ title: 'full', config: { mode: 'full' } });
      await h.manager.send(s.id, 'go');
      const ask = await h.waitFor('approval.requested', (e) => e.sessionId === s.id);
      assert.equal(ask.approval.unsandboxed, true, 'the approval is the unsandboxed retry');
      assert.equal(ask.approval.rememberable, false);
      assert.match(ask.approval.reason, /\.vscode\/settings\.json/);
      const st = started(h, s.id);
      assert.match(st?.permission.source ?? '', /mode full \(sandboxed/);
      assert.match(st?.permission.sandbox ?? '', /^sandboxed \(bubblewrap\)/);
      await h.manager.resolveApproval(s.id, ask.approval.id, { decision: 'deny' });
      await h.manager.whenIdle(s.id);
      assert.equal(readFileSync(path.join(ws, '.vscode/settings.json'), 'utf8'), '{}\n', 'unchanged');
      const done = completed(h, s.id);
      assert.match(done?.content ?? '', /read-only|protected/i);
      assert.match(done?.permission?.sandbox ?? '', /refused: .*\.vscode\/settings\.json/);
    } finally { await h.close(); cleanup(); }
  });

  void test('approving "run unsandboxed once" runs it again without the sandbox', { skip }, async () => {
    const { h, ws, cleanup } = await setup();
    try {
      const s = await h.manager.create({ title: 'full', config: { mode: 'full' } });
      await h.manager.send(s.id, 'go');
      const ask = await h.waitFor('approval.requested', (e) => e.sessionId === s.id);
      await h.manager.resolveApproval(s.id, ask.approval.id, { decision: 'approve' });
      await h.manager.whenIdle(s.id);
      assert.equal(readFileSync(path.join(ws, '.vscode/settings.json'), 'utf8'), 'pwned');
      assert.match(completed(h, s.id)?.permission?.sandbox ?? '', /^not sandboxed \(approved by the user/);
    } finally { await h.close(); cleanup(); }
  });

  void test('an allowed command writes the workspace inside the sandbox; the card says it was sandboxed', { skip }, async () => {
    const { h, ws, cleanup } = await setup({}, 'echo hi > out.txt');
    try {
      const s = await h.manager.create({ title: 'auto-edit', config: { mode: 'auto-edit', rules: [{ action: 'allow', pattern: 'run_command(echo:*)', scope: 'session' }] } });
      await h.manager.send(s.id, 'go');
      await h.manager.whenIdle(s.id);
      assert.equal(readFileSync(path.join(ws, 'out.txt'), 'utf8'), 'hi\n');
      assert.match(started(h, s.id)?.permission.sandbox ?? '', /^sandboxed/);
      assert.ok(!h.of(s.id).some((e) => e.type === 'approval.requested'));
    } finally { await h.close(); cleanup(); }
  });

  void test('with the sandbox off, full mode asks for what cannot be analysed and the card says why', async () => {
    const { h, cleanup } = await setup({ mode: 'off' });
    try {
      const s = await h.manager.create({ title: 'off', config: { mode: 'full' } });
      await h.manager.send(s.id, 'go');
      const ask = await h.waitFor('approval.requested', (e) => e.sessionId === s.id);
      assert.equal(ask.approval.unsandboxed, undefined);
      assert.equal(ask.approval.rememberable, false, 'an unanalysable command cannot become a rule');
      assert.match(ask.approval.reason, /python3 -c runs inline code/);
      await h.manager.resolveApproval(s.id, ask.approval.id, { decision: 'deny' });
      await h.manager.whenIdle(s.id);
    } finally { await h.close(); cleanup(); }
  });

  void test('a sandbox that cannot start says why on the card; an analysable command then runs under the analysis alone', async () => {
    const broken: CommandSandbox = { availability: async () => ({ available: false, reason: 'bubblewrap is not installed (apt install bubblewrap)' }), prepare: () => Promise.reject(new Error('unavailable')) };
    const { dir: ws, cleanup } = outsideTmp('engine-nosandbox-');
    fake.reset();
    fake.setResponder((req) => (lastToolResult(req) ? script.text('ok') : script.toolCall('run_command', { command: 'echo hi' })));
    const h = await startHarness({ fake, deps: { tools: new ToolRegistry([createRunCommandTool()]), workspaceRoots: [ws], isolation: new CommandIsolation(broken, () => ({ mode: 'auto', extraProtected: [], extraHidden: [] })) } });
    try {
      const s = await h.manager.create({ title: 'fallback', config: { mode: 'full' } });
      await h.manager.send(s.id, 'go');
      await h.manager.whenIdle(s.id);
      assert.equal(started(h, s.id)?.permission.sandbox, 'not sandboxed: bubblewrap is not installed (apt install bubblewrap)');
      assert.match(completed(h, s.id)?.content ?? '', /hi/);
    } finally { await h.close(); cleanup(); }
  });
});
