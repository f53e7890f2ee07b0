/**
 * The spill wiring through the engine: the manager gives each session's tools its own folder
 * under `toolOutputDir`; the model pages the saved output with read_file; another session cannot
 * read it; deleting the session deletes it (issue 11).
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { script, lastToolResult, startFakeLlm } from '../../fake-llm';
import { startHarness } from '../session/harness';
import { ToolRegistry } from '../../../src/core/tools/registry';
import { createRunCommandTool } from '../../../src/core/tools/run-command';
import { createReadFileTool } from '../../../src/core/tools/read-file';
import type { EventOf } from '../../../src/core/session/events';
import { tempDir } from './helpers';

void describe('spilled tool output through the session manager', () => {
  const ws = tempDir('spill-sess-ws-');
  const storage = tempDir('spill-sess-store-');
  after(() => { ws.cleanup(); storage.cleanup(); });

  void test('a session pages its own saved output; another session cannot; delete removes it', async () => {
    const fake = await startFakeLlm();
    const toolOutputDir = path.join(storage.dir, 'tool-output');
    const h = await startHarness({
      fake,
      deps: {
        tools: new ToolRegistry([createRunCommandTool({ headChars: 500, tailChars: 500 }), createReadFileTool()]),
        workspaceRoots: [ws.dir], toolOutputDir,
        defaults: { providerId: 'openai', providerKind: 'openai', model: 'gpt-4o-mini', mode: 'full', streamIdleTimeoutMs: 5_000 },
      },
    });
    try {
      let saved = '';
      fake.setResponder((req) => {
        const last = lastToolResult(req)?.content ?? '';
        const m = /is saved in (\/\S+\.txt)\./.exec(last);
        if (m) { saved = m[1]; return script.toolCall('read_file', { path: saved, startLine: 50000, endLine: 50001 }); }
        if (last) return script.text('done');
        return script.toolCall('run_command', { command: 'seq 1 100000' });
      });
      const a = await h.manager.create({ title: 'a' });
      await h.manager.send(a.id, 'count');
      await h.manager.whenIdle(a.id);
      const results = h.of(a.id).filter((e): e is EventOf<'tool.completed'> => e.type === 'tool.completed');
      assert.equal(results.length, 2, JSON.stringify(h.of(a.id).map((e) => e.type === 'tool.completed' ? e.content.slice(-300) : e.type)));
      assert.equal(path.dirname(saved), path.join(toolOutputDir, a.id));
      assert.equal(results[1].content, '50000\t50000\n50001\t50001\n(49,999 more lines; read on with startLine 50002)');

      // Session b asks for a's file: refused.
      fake.setResponder((req) => (lastToolResult(req) ? script.text('done') : script.toolCall('read_file', { path: saved, startLine: 1, endLine: 1 })));
      const b = await h.manager.create({ title: 'b' });
      await h.manager.send(b.id, 'peek');
      await h.manager.whenIdle(b.id);
      const peek = h.of(b.id).find((e): e is EventOf<'tool.completed'> => e.type === 'tool.completed');
      assert.equal(peek?.isError, true);
      assert.match(peek?.content ?? '', /outside the workspace/);

      await h.manager.delete(a.id);
      assert.equal(existsSync(path.join(toolOutputDir, a.id)), false, 'the session\'s saved output goes with it');
    } finally {
      await h.close();
      await fake.close();
    }
  });

  void test('saved output is scrubbed of known secrets like every recorded event', async () => {
    const fake = await startFakeLlm();
    const toolOutputDir = path.join(storage.dir, 'tool-output-redact');
    const key = 'sk-live-7Hq2ZpX9mL4wR8vT3nB6-spill';
    const h = await startHarness({
      fake,
      deps: {
        tools: new ToolRegistry([createRunCommandTool({ headChars: 200, tailChars: 200 })]),
        workspaceRoots: [ws.dir], toolOutputDir,
        redactor: { redact: (t) => t.split(key).join('[redacted]') },
        defaults: { providerId: 'openai', providerKind: 'openai', model: 'gpt-4o-mini', mode: 'full', streamIdleTimeoutMs: 5_000 },
      },
    });
    try {
      fake.setResponder((req) => (lastToolResult(req) ? script.text('done') : script.toolCall('run_command', { command: `seq 1 5000; echo "token=${key}"; seq 1 5000` })));
      const s = await h.manager.create({ title: 'redact' });
      await h.manager.send(s.id, 'print');
      await h.manager.whenIdle(s.id);
      const folder = path.join(toolOutputDir, s.id);
      const files = readdirSync(folder);
      assert.equal(files.length, 1, 'the long output was saved');
      const saved = readFileSync(path.join(folder, files[0]), 'utf8');
      assert.ok(saved.includes('token=[redacted]'), 'the line is kept, the key scrubbed');
      assert.ok(!saved.includes(key), 'no key in the saved output');
    } finally {
      await h.close();
      await fake.close();
    }
  });
});
