/**
 * "Agent Sessions: Show MCP Servers": a QuickPick of every configured server with its source and
 * status (starting / connected (N tools) / failed (error) / blocked / disabled); picking one offers
 * restart, enable/disable, allow (after a "Don't allow"), open its config file, show the log.
 */
import * as vscode from 'vscode';
import type { McpServerInfo, McpServerStatus } from '../../core/mcp/types';
import type { VsCodeKnowledge } from './vscode-ports';

/** One line of status text, as the picker and the log show it. */
export function describeStatus(s: McpServerStatus): string {
  switch (s.state) {
    case 'starting': return s.attempt > 1 ? `starting (attempt ${s.attempt})` : 'starting';
    case 'connected': return `connected (${s.toolCount} tool${s.toolCount === 1 ? '' : 's'})`;
    case 'failed': return `failed (${s.error.message})${s.restartInMs !== undefined ? ` · restart in ${Math.round(s.restartInMs / 1000)} s` : ''}`;
    case 'reconnecting': return `reconnecting (attempt ${s.attempt} of ${s.maxAttempts}: ${s.error.message})${s.retryInMs !== undefined ? ` · next in ${Math.round(s.retryInMs / 1000)} s` : ''}`;
    case 'blocked': return s.reason === 'untrusted' ? 'blocked (workspace not trusted)' : 'blocked (not allowed)';
    case 'disabled': return 'disabled';
    case 'stopped': return 'stopped';
  }
}

const ICONS: Record<McpServerStatus['state'], string> = {
  starting: '$(loading~spin)', connected: '$(pass)', failed: '$(error)', reconnecting: '$(sync~spin)', blocked: '$(shield)', disabled: '$(circle-slash)', stopped: '$(debug-stop)',
};

function sourceLabel(info: McpServerInfo): string {
  if (info.source.path) return vscode.workspace.asRelativePath(info.source.path);
  return info.source.scope === 'user' ? 'user settings' : 'workspace settings';
}

type Action = 'restart' | 'enable' | 'disable' | 'allow' | 'open' | 'log' | 'trust' | 'session';

/** The focused session's per-session switch (SessionConfig.disabledMcpServers). */
export interface SessionMcpSwitch {
  title: string;
  disabled: readonly string[];
  set(disabled: string[]): Promise<void>;
}

export async function showMcpServers(parts: VsCodeKnowledge, showLog: () => void, session?: SessionMcpSwitch): Promise<void> {
  const { knowledge } = parts;
  const servers = knowledge.mcp.list();
  const problems = knowledge.configDiagnostics();
  if (servers.length === 0 && problems.length === 0) {
    const pick = await vscode.window.showInformationMessage('No MCP servers are configured. Add them to .vscode/mcp.json, .mcp.json or the "agentSessions.mcpServers" setting.', 'Open Settings');
    if (pick) await vscode.commands.executeCommand('workbench.action.openSettings', 'agentSessions.mcpServers');
    return;
  }
  type Item = vscode.QuickPickItem & { server?: McpServerInfo; problemPath?: string };
  const items: Item[] = servers.map((s) => ({
    label: `${ICONS[s.status.state]} ${s.name}`,
    description: `${describeStatus(s.status)} · ${sourceLabel(s)}${session?.disabled.includes(s.name) ? ` · off in "${session.title}"` : ''}`,
    detail: s.status.state === 'failed' && s.status.stderrTail.length > 0 ? `stderr: ${s.status.stderrTail.slice(-2).join(' | ')}` : s.tools.length > 0 ? s.tools.join(', ') : undefined,
    server: s,
  }));
  if (problems.length > 0) {
    items.push({ label: 'Configuration problems', kind: vscode.QuickPickItemKind.Separator });
    for (const p of problems) items.push({ label: `$(warning) ${p.server ?? (p.path === 'settings' ? 'settings' : vscode.workspace.asRelativePath(p.path))}`, detail: p.message, problemPath: p.path });
  }
  const pick = await vscode.window.showQuickPick(items, { title: 'MCP servers', placeHolder: 'Pick a server to restart, enable or disable it', matchOnDescription: true });
  if (!pick) return;
  if (pick.problemPath) { await openSource(pick.problemPath); return; }
  if (!pick.server) return;
  const action = await pickAction(pick.server, session);
  if (action === 'session' && session) {
    const name = pick.server.name;
    await session.set(session.disabled.includes(name) ? session.disabled.filter((n) => n !== name) : [...session.disabled, name]);
    return;
  }
  if (action) await runAction(parts, pick.server, action, showLog);
}

async function pickAction(s: McpServerInfo, session: SessionMcpSwitch | undefined): Promise<Action | undefined> {
  const st = s.status.state;
  const actions: Array<vscode.QuickPickItem & { action: Action }> = [];
  if (s.status.state === 'blocked' && s.status.reason === 'not_approved') actions.push({ label: '$(check) Allow and start', action: 'allow' });
  if (s.status.state === 'blocked' && s.status.reason === 'untrusted') actions.push({ label: '$(shield) Trust workspace…', action: 'trust' });
  if (st === 'disabled') actions.push({ label: '$(play) Enable', action: 'enable' });
  else actions.push({ label: '$(debug-restart) Restart', action: 'restart' }, { label: '$(circle-slash) Disable (this window)', action: 'disable' });
  if (session) {
    const off = session.disabled.includes(s.name);
    actions.push({ label: off ? `$(eye) Switch on for session "${session.title}"` : `$(eye-closed) Switch off for session "${session.title}"`, action: 'session' });
  }
  if (s.source.path) actions.push({ label: '$(go-to-file) Open configuration', action: 'open' });
  actions.push({ label: '$(output) Show log', action: 'log' });
  return (await vscode.window.showQuickPick(actions, { title: `MCP server ${s.name}: ${describeStatus(s.status)}` }))?.action;
}

async function runAction(parts: VsCodeKnowledge, s: McpServerInfo, action: Action, showLog: () => void): Promise<void> {
  const mcp = parts.knowledge.mcp;
  switch (action) {
    case 'restart': await mcp.restart(s.name); return;
    case 'enable': await mcp.enable(s.name); return;
    case 'disable': await mcp.disable(s.name); return;
    case 'allow': await parts.approvals.forget(s.name); await mcp.restart(s.name); return;
    case 'trust': await vscode.commands.executeCommand('workbench.trust.manage'); return;
    case 'open': if (s.source.path) await openSource(s.source.path); return;
    case 'log': showLog(); return;
    case 'session': return; // handled by the caller
  }
}

async function openSource(path: string): Promise<void> {
  if (path === 'settings') { await vscode.commands.executeCommand('workbench.action.openSettings', 'agentSessions.mcpServers'); return; }
  await vscode.window.showTextDocument(vscode.Uri.file(path));
}
