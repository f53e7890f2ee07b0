/**
 * Knowledge per root (issue 14): a session in a worktree gets the rules files, skills and MCP tools
 * of its worktree's folder from the host's `rootKnowledge` (each part falling back to the
 * workspace's when the host gives none), a session of the shared tree the workspace's own. Checked
 * on what the model is sent: the system prompt and the tools of the request.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeLlm, toolNames, type FakeLlm, type RecordedRequest } from '../../fake-llm';
import { cleanupPlaces, place, runPlan } from '../changes/ledger-harness';
import { rootedSession } from './session-harness';
import type { RulesFile } from '../../../src/core/context/rules-files';
import type { RootKnowledge, RulesSource } from '../../../src/core/session/knowledge';
import type { AnyTool } from '../../../src/core/tools/types';
import { SkillRegistry } from '../../../src/core/skills/registry';
import { staticTrust } from '../../../src/core/skills/workspace-ports';
import { skillMd, writeTree } from '../skills/helpers';

let fake: FakeLlm;
before(async () => { fake = await startFakeLlm(); });
after(async () => { await fake.close(); cleanupPlaces(); });

function rules(marker: string, root: string): RulesSource {
  const file: RulesFile = {
    id: `agents:AGENTS.md`, kind: 'agents', path: join(root, 'AGENTS.md'), relativePath: 'AGENTS.md', scope: '', activation: 'always', size: marker.length,
    text: `Always say ${marker}.`, originalChars: marker.length, truncated: false, enabled: true,
  };
  return { load: async () => [file] };
}

function mcpTool(name: string): AnyTool {
  return {
    name, kind: 'mcp', description: `${name} from an MCP server`, inputSchema: { type: 'object', properties: {} },
    validate: () => ({ ok: true, value: {} }), describe: async () => ({ summary: name }), execute: async () => ({ content: `${name} ran` }),
  };
}

function systemOf(req: RecordedRequest | undefined): string {
  const messages = (req?.body?.messages ?? []) as Array<{ role?: string; content?: unknown }>;
  return messages.filter((m) => m.role === 'system').map((m) => String(m.content)).join('\n');
}

void describe('knowledge per root', () => {
  void test('a worktree session gets its folder\'s rules, skills and MCP tools; a shared session the workspace\'s', async () => {
    const p = place('wt-know-');
    const folder = join(p.outside, 'wt-know');
    writeTree(p.ws, { '.agents/skills/ws-skill/SKILL.md': skillMd('ws-skill', 'The workspace skill.') });
    writeTree(folder, { '.agents/skills/wt-skill/SKILL.md': skillMd('wt-skill', 'The worktree skill.') });
    const wsSkills = new SkillRegistry({ workspaceRoot: p.ws, trust: staticTrust(true) });
    const wtSkills = new SkillRegistry({ workspaceRoot: folder, trust: staticTrust(true) });
    await wsSkills.reload();
    await wtSkills.reload();
    const asked: string[] = [];
    const rootKnowledge = (root: string): RootKnowledge | undefined => {
      asked.push(root);
      return root === folder ? { rules: rules('WT-RULES-MARK', folder), skills: wtSkills, mcp: { tools: () => [mcpTool('mcp__wt__ping')] } } : undefined;
    };
    const deps = { rules: rules('WS-RULES-MARK', p.ws), skills: wsSkills, mcp: { tools: () => [mcpTool('mcp__ws__ping')] }, rootKnowledge };
    const { h, id } = await rootedSession(fake, p, { folder, deps });
    try {
      const shared = await h.manager.create({ title: 'shared', config: { mode: 'full' } });
      fake.reset();
      await runPlan(h, id, []);
      const inWorktree = fake.requests.at(-1);
      await runPlan(h, shared.id, []);
      const inShared = fake.requests.at(-1);
      assert.match(systemOf(inWorktree), /WT-RULES-MARK/);
      assert.doesNotMatch(systemOf(inWorktree), /WS-RULES-MARK/);
      assert.match(systemOf(inWorktree), /wt-skill/);
      assert.doesNotMatch(systemOf(inWorktree), /ws-skill/);
      assert.ok(inWorktree && toolNames(inWorktree).includes('mcp__wt__ping'));
      assert.ok(inWorktree && !toolNames(inWorktree).includes('mcp__ws__ping'));
      assert.match(systemOf(inShared), /WS-RULES-MARK/);
      assert.match(systemOf(inShared), /ws-skill/);
      assert.doesNotMatch(systemOf(inShared), /WT-RULES-MARK|wt-skill/);
      assert.ok(inShared && toolNames(inShared).includes('mcp__ws__ping') && !toolNames(inShared).includes('mcp__wt__ping'));
      assert.ok(asked.every((r) => r === folder), 'rootKnowledge is asked only for a worktree root');
      // The listing the UI shows is the worktree's too.
      const listing = await h.manager.knowledge(id);
      assert.deepEqual(listing.skills.map((s) => s.name), ['wt-skill']);
      assert.equal(listing.skills[0]?.path, join(folder, '.agents/skills/wt-skill/SKILL.md'));
      // A prompt naming the worktree's skill gets its body attached (the workspace's skill is not known there).
      await h.manager.send(id, 'Use wt-skill for this, and ws-skill too.');
      await h.manager.whenIdle(id);
      const sent = JSON.stringify(fake.requests.at(-1)?.body?.messages ?? []);
      assert.match(sent, /Instructions for wt-skill/);
      assert.doesNotMatch(sent, /Instructions for ws-skill/);
      assert.ok(toolNames(fake.requests.at(-1) as RecordedRequest).includes('load_skill'));
    } finally {
      await h.close();
      wsSkills.dispose();
      wtSkills.dispose();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  void test('a RootKnowledge without some parts: those come from the workspace; no rootKnowledge at all: all the workspace\'s', async () => {
    const p = place('wt-know-partial-');
    const folder = join(p.outside, 'wt-partial');
    const { h, id } = await rootedSession(fake, p, {
      folder, deps: { rules: rules('WS-RULES-MARK', p.ws), mcp: { tools: () => [mcpTool('mcp__ws__ping')] }, rootKnowledge: () => ({ rules: rules('WT-RULES-MARK', folder) }) },
    });
    try {
      fake.reset();
      await runPlan(h, id, []);
      const req = fake.requests.at(-1);
      assert.match(systemOf(req), /WT-RULES-MARK/);
      assert.ok(req && toolNames(req).includes('mcp__ws__ping'), 'no MCP part for the folder: the workspace\'s servers');
    } finally {
      await h.close();
    }
    const p2 = place('wt-know-none-');
    const plain = await rootedSession(fake, p2, { deps: { rules: rules('WS-RULES-MARK', p2.ws) } });
    try {
      fake.reset();
      await runPlan(plain.h, plain.id, []);
      assert.match(systemOf(fake.requests.at(-1)), /WS-RULES-MARK/);
    } finally {
      await plain.h.close();
    }
  });
});
