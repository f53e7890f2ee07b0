import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastToolResult, script, startFakeLlm, type FakeLlm, type RecordedRequest } from '../../fake-llm';
import { makeManager } from '../session/harness';
import type { SessionManager } from '../../../src/core/session/manager';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import { RulesFilesLoader } from '../../../src/core/context/rules-files';
import { createBuiltinTools, ToolRegistry } from '../../../src/core/tools/builtins';
import { foldEvents } from '../../../src/core/session/reducer';
import { CURSOR, MONOREPO, writeTree } from './fixtures';

/** The system prompt as sent (OpenAI format: first message, role system). */
const systemOf = (req: RecordedRequest | undefined): string => String((req?.body?.messages as { role: string; content: unknown }[])[0]?.content);

let fake: FakeLlm;
const cleanup: string[] = [];
before(async () => { fake = await startFakeLlm(); });
after(async () => {
  await fake.close();
  for (const d of cleanup) await rm(d, { recursive: true, force: true });
});

async function world(files: Record<string, string>, maxTotalChars?: number): Promise<{ ws: string; storeDir: string; open: () => Promise<SessionManager> }> {
  const ws = writeTree(files);
  const storeDir = await mkdtemp(join(tmpdir(), 'rules-store-'));
  cleanup.push(ws, storeDir);
  const open = (): Promise<SessionManager> => makeManager(fake, new JsonlSessionStore({ directory: storeDir }), {
    workspaceRoots: [ws], tools: new ToolRegistry(createBuiltinTools()),
    rules: new RulesFilesLoader({ root: ws, isTrusted: () => true, ...(maxTotalChars ? { maxTotalChars } : {}) }),
  });
  return { ws, storeDir, open };
}

/** Reads `paths` one call per request, then answers. */
function readEach(paths: string[]): void {
  let i = 0;
  fake.setResponder((req) => {
    if (i === 0 || lastToolResult(req)) {
      const p = paths[i++];
      if (p !== undefined) return script.toolCall('read_file', { path: p });
    }
    return script.text('done');
  });
}

void describe('rules files in a session: what the model receives', () => {
  void test('monorepo: the root AGENTS.md goes; packages/a/AGENTS.md joins once a file under it is read, the transcript says so, and a reload keeps it', async () => {
    const { storeDir, open } = await world(MONOREPO);
    fake.reset();
    readEach(['packages/a/src/index.ts']);
    let m = await open();
    const s = await m.create();
    await m.send(s.id, 'fix packages/a');
    await m.whenIdle(s.id);
    const [r1, r2] = fake.requests;
    assert.match(systemOf(r1), /ROOT-RULE/);
    assert.doesNotMatch(systemOf(r1), /A-RULE|B-RULE|WEB-RULE|CLI-RULE/, 'no nested file before the session works there');
    assert.match(systemOf(r2), /ROOT-RULE[\s\S]*## AGENTS\.md: packages\/a\/AGENTS\.md \(applies to packages\/a\/\*\*\)[\s\S]*A-RULE/);
    assert.doesNotMatch(systemOf(r2), /B-RULE|WEB-RULE|CLI-RULE/, 'the unrelated nested files stay out');
    const page = await m.transcript(s.id);
    const marker = page.entries.find((e) => e.kind === 'marker' && e.text.startsWith('Rules added'));
    assert.equal(marker?.kind === 'marker' && marker.text, 'Rules added to the context: packages/a/AGENTS.md (for packages/a/src/index.ts)');
    assert.deepEqual(m.get(s.id)?.attachedRules, [{ id: 'agents:packages/a/AGENTS.md', relativePath: 'packages/a/AGENTS.md', reason: 'path', trigger: 'packages/a/src/index.ts' }]);
    const listed = m.get(s.id)?.knowledge?.rules.find((r) => r.id === 'agents:packages/a/AGENTS.md');
    assert.equal(listed?.active, true);
    assert.equal(listed?.activation, 'path');
    await m.dispose();

    // Reload: a new manager folds the log again; the next turn still sends packages/a/AGENTS.md.
    const store = new JsonlSessionStore({ directory: storeDir });
    const { events } = await store.load(s.id);
    await store.close();
    assert.deepEqual(foldEvents(s.id, events).attachedRules?.map((r) => r.id), ['agents:packages/a/AGENTS.md']);
    fake.reset();
    fake.setResponder(() => script.text('again'));
    m = await open();
    await m.open(s.id);
    await m.send(s.id, 'and again');
    await m.whenIdle(s.id);
    assert.match(systemOf(fake.requests[0]), /A-RULE/);
    assert.doesNotMatch(systemOf(fake.requests[0]), /B-RULE/);
    await m.dispose();
  });

  void test('Cursor rules: always sent, glob-attached on a matching file, description-listed and attached when read, manual never', async () => {
    const { open } = await world({ ...CURSOR, 'src/db.ts': 'export {};\n' });
    fake.reset();
    readEach(['src/db.ts', '.cursor/rules/database.mdc']);
    const m = await open();
    const s = await m.create();
    await m.send(s.id, 'look at the db');
    await m.whenIdle(s.id);
    const [r1, r2, r3] = fake.requests.map(systemOf);
    assert.match(r1!, /ALWAYS-RULE[\s\S]*LEGACY-RULE/);
    assert.match(r1!, /- \.cursor\/rules\/database\.mdc — How to write database migrations/);
    assert.doesNotMatch(r1!, /TS-RULE|DB-RULE|MANUAL-RULE|REACT-RULE/);
    assert.match(r2!, /## Cursor rule: \.cursor\/rules\/typescript\.mdc \(applies to files matching \*\.ts, \*\.tsx\)\n\nTS-RULE/);
    assert.doesNotMatch(r2!, /DB-RULE|REACT-RULE/);
    assert.match(r3!, /TS-RULE[\s\S]*DB-RULE/);
    assert.doesNotMatch(r3!, /MANUAL-RULE|REACT-RULE|Rules you may read/);
    assert.deepEqual(m.get(s.id)?.attachedRules?.map((r) => [r.relativePath, r.reason]), [['.cursor/rules/typescript.mdc', 'glob'], ['.cursor/rules/database.mdc', 'requested']]);
    assert.equal(m.get(s.id)?.knowledge?.rules.find((r) => r.relativePath === '.cursor/rules/release.mdc')?.activation, 'manual');
    await m.dispose();
  });

  void test('over the budget: left-out files are listed by path for the model, not sent as empty truncations', async () => {
    const pad = (tag: string): string => `${tag} ${'y'.repeat(900)}\n`;
    const { open } = await world({ 'AGENTS.md': pad('ROOT'), 'CLAUDE.md': pad('CLAUDE'), 'GEMINI.md': pad('GEMINI'), '.github/copilot-instructions.md': pad('COPILOT') }, 2_000);
    fake.reset();
    fake.setResponder(() => script.text('ok'));
    const m = await open();
    const s = await m.create();
    await m.send(s.id, 'hi');
    await m.whenIdle(s.id);
    const sys = systemOf(fake.requests[0]);
    assert.match(sys, /ROOT y+[\s\S]*CLAUDE y+/);
    assert.doesNotMatch(sys, /\[truncated: 0 of/);
    assert.doesNotMatch(sys, /GEMINI y|COPILOT y/);
    assert.match(sys, /## Also available \(read with read_file when relevant; left out for space\)\n- GEMINI\.md\n- \.github\/copilot-instructions\.md/);
    const k = m.get(s.id)?.knowledge;
    assert.deepEqual(k?.rules.filter((r) => r.omitted).map((r) => r.relativePath), ['GEMINI.md', '.github/copilot-instructions.md']);
    assert.equal(k?.rulesBudget?.budget, 2_000);
    await m.dispose();
  });
});
