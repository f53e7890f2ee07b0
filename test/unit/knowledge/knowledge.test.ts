import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { script, lastToolResult, startFakeLlm, toolNames, type FakeLlm, type RecordedRequest } from '../../fake-llm';
import { startHarness, type Harness } from '../session/harness';
import { RulesFilesLoader } from '../../../src/core/context/rules-files';
import { SkillRegistry } from '../../../src/core/skills/registry';
import { staticTrust } from '../../../src/core/skills/workspace-ports';
import { manager as mcpManager, stdioConfig, waitStatus } from '../mcp/helpers';

let fake: FakeLlm;
let ws: string;
before(async () => {
  fake = await startFakeLlm();
  ws = await mkdtemp(join(tmpdir(), 'as-knowledge-'));
  await writeFile(join(ws, 'AGENTS.md'), 'ROOT-RULE: use tabs.\n');
  await mkdir(join(ws, 'src', 'api'), { recursive: true });
  await writeFile(join(ws, 'src', 'api', 'AGENTS.md'), 'API-RULE: every handler validates its input.\n');
  await writeFile(join(ws, 'CLAUDE.md'), 'CLAUDE-RULE: be brief.\n');
  await mkdir(join(ws, '.agents', 'skills', 'release-notes'), { recursive: true });
  await writeFile(join(ws, '.agents', 'skills', 'release-notes', 'SKILL.md'),
    '---\nname: release-notes\ndescription: Write release notes from the changelog.\n---\nSKILL-BODY: read CHANGELOG.md, group by type.\n');
  await writeFile(join(ws, '.agents', 'skills', 'release-notes', 'template.md'), '# Notes\n');
});
after(async () => { await fake.close(); await rm(ws, { recursive: true, force: true }); });

/** The system prompt as sent (OpenAI format: first message, role system). */
const systemOf = (req: RecordedRequest): string => String((req.body?.messages as { role: string; content: unknown }[])[0].content);
const userOf = (req: RecordedRequest): string => {
  const m = (req.body?.messages as { role: string; content: unknown }[]).find((x) => x.role === 'user');
  return typeof m?.content === 'string' ? m.content : JSON.stringify(m?.content);
};

async function harness(trusted = true): Promise<{ h: Harness; skills: SkillRegistry }> {
  fake.reset();
  const skills = new SkillRegistry({ workspaceRoot: ws, trust: staticTrust(trusted) });
  await skills.reload();
  const h = await startHarness({ fake, deps: { rules: new RulesFilesLoader({ root: ws, isTrusted: () => trusted }), skills, isWorkspaceTrusted: () => trusted } });
  return { h, skills };
}

void describe('knowledge in the turn loop: rules files, skills, MCP tools', () => {
  void test('rules files (root AGENTS.md, CLAUDE.md; nested ones only on the path) then the skills index go into a byte-stable system prompt', async () => {
    const { h, skills } = await harness();
    fake.setResponder((req) => (lastToolResult(req) ? script.text('done') : script.toolCall('echo', { text: 'x' })));
    const s = await h.manager.create({ config: { systemPrompt: 'SESSION-PROMPT' } });
    await h.manager.send(s.id, 'hello');
    await h.manager.whenIdle(s.id);
    const [r1, r2] = fake.requests;
    const sys = systemOf(r1);
    assert.equal(systemOf(r2), sys, 'identical bytes across requests');
    const at = (t: string): number => { const i = sys.indexOf(t); assert.ok(i >= 0, `missing ${t}`); return i; };
    assert.ok(at('# Tools') < at('# Project instructions'));
    assert.ok(at('ROOT-RULE') < at('CLAUDE-RULE'), 'AGENTS.md before CLAUDE.md');
    assert.ok(at('CLAUDE-RULE') < at('# Skills'));
    assert.doesNotMatch(sys, /API-RULE/, 'a nested AGENTS.md joins once the session works under src/api');
    assert.ok(at('- release-notes: Write release notes') < at('SESSION-PROMPT'), 'rules, skills, then the session prompt');
    assert.ok(toolNames(r1).includes('load_skill') && toolNames(r1).includes('manage_skill'));
    // The UI listing: snapshot and event.
    const k = h.manager.get(s.id)?.knowledge;
    assert.deepEqual(k?.rules.map((r) => [r.id, r.enabled, r.active]), [['agents:AGENTS.md', true, true], ['claude:CLAUDE.md', true, true], ['agents:src/api/AGENTS.md', true, false]]);
    assert.equal(k?.rules.find((r) => r.id === 'agents:src/api/AGENTS.md')?.scope, 'src/api');
    assert.deepEqual(k?.skills.map((x) => [x.name, x.enabled, x.source]), [['release-notes', true, 'workspace']]);
    assert.equal(h.of(s.id).filter((e) => e.type === 'knowledge.loaded').length, 1, 'recorded once while unchanged');
    await h.close();
    skills.dispose();
  });

  void test('switching a rules file and a skill off per session; changes on disk are seen next turn', async () => {
    const { h, skills } = await harness();
    fake.setResponder(() => script.text('ok'));
    const s = await h.manager.create();
    const listing = await h.manager.knowledge(s.id);
    assert.equal(listing.rules.length, 3);
    await h.manager.updateConfig(s.id, { disabledRuleIds: ['claude:CLAUDE.md'], skillOverrides: { 'release-notes': false } });
    await h.manager.send(s.id, 'one');
    await h.manager.whenIdle(s.id);
    const sys = systemOf(fake.requests[0]);
    assert.match(sys, /ROOT-RULE/);
    assert.doesNotMatch(sys, /CLAUDE-RULE/);
    assert.doesNotMatch(sys, /# Skills/);
    assert.ok(!toolNames(fake.requests[0]).includes('load_skill'));
    const k = h.manager.get(s.id)?.knowledge;
    assert.equal(k?.rules.find((r) => r.id === 'claude:CLAUDE.md')?.enabled, false);
    assert.equal(k?.skills[0]?.enabled, false);
    // Another session is not affected.
    const other = await h.manager.create();
    await h.manager.send(other.id, 'two');
    await h.manager.whenIdle(other.id);
    assert.match(systemOf(fake.requests[1]), /CLAUDE-RULE/);
    // Edit on disk → next turn.
    await writeFile(join(ws, 'AGENTS.md'), 'ROOT-RULE-V2: use spaces.\n');
    await h.manager.send(s.id, 'three');
    await h.manager.whenIdle(s.id);
    assert.match(systemOf(fake.requests[2]), /ROOT-RULE-V2/);
    await writeFile(join(ws, 'AGENTS.md'), 'ROOT-RULE: use tabs.\n');
    await h.close();
    skills.dispose();
  });

  void test('a prompt matching a skill gets its body attached to the user message (the transcript keeps the prompt)', async () => {
    const { h, skills } = await harness();
    fake.setResponder(() => script.text('ok'));
    const s = await h.manager.create();
    await h.manager.send(s.id, 'Use the release-notes skill for v2');
    await h.manager.whenIdle(s.id);
    const user = userOf(fake.requests[0]);
    assert.match(user, /^Use the release-notes skill for v2\n\n<skill name="release-notes">\nSKILL-BODY: read CHANGELOG\.md/);
    assert.match(user, /\.agents\/skills\/release-notes\/template\.md/);
    const attached = h.of(s.id).find((e) => e.type === 'skill.attached');
    assert.ok(attached?.type === 'skill.attached' && attached.name === 'release-notes' && attached.reason === 'name');
    const page = await h.manager.transcript(s.id);
    assert.equal(page.entries[0].kind === 'user' && page.entries[0].text, 'Use the release-notes skill for v2');
    // A follow-up keeps the attachment in history (same prompt prefix); an unrelated prompt attaches nothing.
    await h.manager.send(s.id, 'thanks');
    await h.manager.whenIdle(s.id);
    assert.match(userOf(fake.requests[1]), /SKILL-BODY/);
    assert.equal(h.of(s.id).filter((e) => e.type === 'skill.attached').length, 1);
    // Switched off for the session → not attached.
    await h.manager.updateConfig(s.id, { skillOverrides: { 'release-notes': false } });
    const s2 = await h.manager.create({ config: { skillOverrides: { 'release-notes': false } } });
    await h.manager.send(s2.id, 'Use the release-notes skill for v3');
    await h.manager.whenIdle(s2.id);
    assert.doesNotMatch(userOf(fake.requests[2]), /SKILL-BODY/);
    await h.close();
    skills.dispose();
  });

  void test('untrusted workspace: no workspace skills, no manage_skill and no rules files in the prompt', async () => {
    const { h, skills } = await harness(false);
    fake.setResponder(() => script.text('ok'));
    const s = await h.manager.create();
    await h.manager.send(s.id, 'Use the release-notes skill');
    await h.manager.whenIdle(s.id);
    const names = toolNames(fake.requests[0]);
    assert.ok(!names.includes('manage_skill') && !names.includes('load_skill'));
    assert.doesNotMatch(systemOf(fake.requests[0]), /# Skills/);
    assert.doesNotMatch(userOf(fake.requests[0]), /SKILL-BODY/);
    assert.doesNotMatch(systemOf(fake.requests[0]), /# Project instructions|ROOT-RULE|API-RULE|CLAUDE-RULE/);
    assert.deepEqual(h.manager.get(s.id)?.knowledge?.rules ?? [], []);
    await h.close();
    skills.dispose();
  });

  void test('an MCP tool (real stdio server) is offered, asks for approval by default, runs; switched off per session', async (t) => {
    const { mgr } = mcpManager();
    // The server is a real child process: shut it down even when an assertion fails.
    t.after(() => mgr.shutdown());
    await mgr.add(stdioConfig('t'));
    await waitStatus(mgr, 't', (st) => st.state === 'connected');
    fake.reset();
    const h = await startHarness({ fake, deps: { mcp: mgr } });
    t.after(() => h.close());
    fake.setResponder((req) => (lastToolResult(req) ? script.text(`got ${lastToolResult(req)?.content}`) : script.toolCall('mcp__t__echo', { text: 'hi' })));
    const s = await h.manager.create();
    await h.manager.send(s.id, 'call the server');
    const asked = await h.waitFor('approval.requested', (e) => e.sessionId === s.id);
    assert.equal(asked.approval.toolName, 'mcp__t__echo');
    assert.ok(toolNames(fake.requests[0]).includes('mcp__t__echo'));
    await h.manager.resolveApproval(s.id, asked.approval.id, { decision: 'approve' });
    await h.manager.whenIdle(s.id);
    const done = h.of(s.id).find((e) => e.type === 'tool.completed');
    assert.ok(done?.type === 'tool.completed' && done.content === 'echo: hi' && !done.isError);
    assert.equal(lastToolResult(fake.requests[1])?.content, 'echo: hi');
    // Per session off: not offered, and a call is an unknown tool.
    await h.manager.updateConfig(s.id, { disabledMcpServers: ['t'] });
    await h.manager.send(s.id, 'again');
    await h.manager.whenIdle(s.id);
    assert.ok(!toolNames(fake.requests[2]).includes('mcp__t__echo'));
    const second = h.of(s.id).filter((e) => e.type === 'tool.completed').at(-1);
    assert.ok(second?.type === 'tool.completed' && second.isError && /Unknown tool "mcp__t__echo"/.test(second.content));
  });
});
