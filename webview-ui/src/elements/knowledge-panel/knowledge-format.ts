/** Text and choices for the Context panel (plain functions, so they are easy to test and reuse). */
import type { McpActionId, McpServerStatusInfo, WorkspaceRulesInfo } from '../../../../src/shared/protocol';
import type { KnowledgeSkill, SessionConfig, SessionKnowledge } from '../../../../src/shared/session';

/** 1234 → "1.2 kB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** One line of status text (the same words as the host's "Show MCP Servers" picker). */
export function describeMcpStatus(s: McpServerStatusInfo): string {
  switch (s.state) {
    case 'starting': return s.attempt > 1 ? `starting (attempt ${s.attempt})` : 'starting';
    case 'connected': return `connected (${s.toolCount} tool${s.toolCount === 1 ? '' : 's'})`;
    case 'failed': return `failed${s.restartInMs !== undefined ? ` · restart in ${Math.round(s.restartInMs / 1000)} s` : ''}`;
    case 'reconnecting': return `reconnecting (attempt ${s.attempt} of ${s.maxAttempts})${s.retryInMs !== undefined ? ` · next in ${Math.round(s.retryInMs / 1000)} s` : ''}`;
    case 'blocked': return s.reason === 'untrusted' ? 'blocked: workspace not trusted' : 'blocked: not allowed';
    case 'disabled': return 'disabled';
    case 'stopped': return 'stopped';
  }
}

export interface McpActionChoice { id: McpActionId; label: string; title: string }

/** Global actions that make sense in a state (an untrusted workspace needs trust, not a button here). */
export function mcpActionsFor(s: McpServerStatusInfo): McpActionChoice[] {
  const restart: McpActionChoice = { id: 'restart', label: 'Restart', title: 'Stop and start it again (all sessions)' };
  const disable: McpActionChoice = { id: 'disable', label: 'Disable', title: 'Stop it for every session in this window' };
  switch (s.state) {
    case 'disabled': return [{ id: 'enable', label: 'Enable', title: 'Start it again for every session in this window' }];
    case 'blocked': return s.reason === 'not_approved' ? [{ id: 'allow', label: 'Allow', title: 'Ask again whether to start it' }, disable] : [];
    default: return [restart, disable];
  }
}

/** A skill's switch: the session's override when it has one, else what the listing says. */
export function skillEnabled(s: KnowledgeSkill, overrides: Record<string, boolean> | undefined): boolean {
  return overrides?.[s.name] ?? s.enabled;
}

/** Rules files and skills a session's prompt uses (its switches applied; shadowed skills never count). */
export function knowledgeInUse(
  knowledge: SessionKnowledge | undefined, config: Pick<SessionConfig, 'disabledRuleIds' | 'skillOverrides'> | undefined,
): { rules: number; skills: number } | undefined {
  if (!knowledge) return undefined;
  const off = new Set(config?.disabledRuleIds ?? []);
  return {
    rules: knowledge.rules.filter((r) => (config ? !off.has(r.id) : r.enabled)).length,
    skills: knowledge.skills.filter((s) => !s.shadowed && skillEnabled(s, config?.skillOverrides)).length,
  };
}

/** "2 rules files and 1 skill in use". */
export function describeInUse(n: { rules: number; skills: number }): string {
  return `${n.rules} rules file${n.rules === 1 ? '' : 's'} and ${n.skills} skill${n.skills === 1 ? '' : 's'} in use`;
}

/** What the workspace-settings allow rules do now, in one sentence. */
export function workspaceRulesStateText(state: WorkspaceRulesInfo['state']): string {
  switch (state) {
    case 'pending': return 'The workspace settings (a file the repository can ship) suggest these allow rules. They allow nothing until you allow them.';
    case 'allowed': return 'Allowed by you for exactly this list; if the list changes you are asked again.';
    case 'ignored': return 'Ignored: these rules allow nothing. You are asked again if the list changes.';
    case 'none': return '';
  }
}

/** Whether the Context panel has anything to say about workspace permission rules. */
export function showWorkspaceRules(r: WorkspaceRulesInfo | undefined): r is WorkspaceRulesInfo {
  return r !== undefined && (!r.workspaceTrusted || r.suggested.length > 0 || r.restricting.length > 0 || r.saved.length > 0);
}
