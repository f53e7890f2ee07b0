/**
 * Command-palette commands (category "Agent Sessions"). Each acts on the focused session (the
 * webview reports its visible tab) or asks with a QuickPick. Titles live in package.json.
 */
import * as vscode from 'vscode';
import { toAgentError } from '../core/base/errors';
import type { SessionManagerApi } from '../core/session/api';
import type { SessionMode } from '../shared/session';
import type { HostActionId } from '../shared/protocol';
import { DiffApprovals } from './diff-approval';
import { sessionToMarkdown } from './export-markdown';
import type { ExtensionHost } from './host';
import { pickSession } from './session-picker';
import { runAddProvider } from './preset-ui';
import { showSkillsAndRules } from './knowledge/knowledge-picker';
import { showMcpServers } from './knowledge/mcp-picker';
import { COMMANDS } from './ids';
import { exportLog, showOtherWindow } from './other-window';
import { summarize } from './status-summary';
import { VIEW_ID } from './webview/surfaces';

export { COMMANDS } from './ids';

async function revealView(): Promise<void> {
  await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
}

/** Runs a command body; failures become a notification and a log line, never an unhandled rejection. */
export function guarded(host: ExtensionHost, name: string, fn: (...args: unknown[]) => Promise<void>): (...args: unknown[]) => Promise<void> {
  return async (...args) => {
    try {
      await fn(...args);
    } catch (err) {
      const e = toAgentError(err);
      host.logger.error(`Command ${name} failed: ${e.code}: ${e.message}`);
      void vscode.window.showErrorMessage(`Agent Sessions: ${e.message}`);
    }
  };
}

export async function runHostAction(host: ExtensionHost, action: HostActionId, providerId?: string, sessionId?: string, presetId?: string): Promise<void> {
  switch (action) {
    case 'switchWindow': await showOtherWindow(host, sessionId); return;
    case 'exportMarkdown': await vscode.commands.executeCommand(COMMANDS.exportMarkdown, sessionId); return;
    case 'exportLog': if (sessionId) await exportLog(host, sessionId); return;
    case 'trustWorkspace': await vscode.commands.executeCommand('workbench.trust.manage'); return;
    case 'setApiKey': await vscode.commands.executeCommand(COMMANDS.setApiKey, providerId); return;
    case 'openSettings': await vscode.commands.executeCommand('workbench.action.openSettings', 'agentSessions'); return;
    case 'openLogs': host.channel.show(); return;
    case 'addPreset': await vscode.commands.executeCommand(COMMANDS.addProvider, presetId); return;
  }
}

/** Command id → guarded handler (registered by extension.ts, which loads this module on first use). */
export function commandHandlers(host: ExtensionHost): Map<string, (...args: unknown[]) => Promise<void>> {
  const m = () => host.manager();
  const target = async (title: string, filter?: Parameters<typeof pickSession>[3]) => pickSession(await m(), host.focus, title, filter);

  async function sendText(text: string, what: string): Promise<void> {
    const manager = await m();
    let id = await pickSession(manager, host.focus, `Send ${what} to session`);
    if (!id) {
      if (manager.list().length > 0) return; // the user dismissed the pick
      id = (await manager.create({ config: host.services().defaultConfig() })).id;
    }
    await manager.send(id, text);
    await revealView();
    host.router().reveal(id);
  }

  function editorSnippet(whole: boolean): { text: string; what: string } | undefined {
    const editor = vscode.window.activeTextEditor;
    if (!editor) { void vscode.window.showInformationMessage('Agent Sessions: open a file first.'); return undefined; }
    const doc = editor.document;
    const rel = vscode.workspace.asRelativePath(doc.uri);
    const range = whole || editor.selection.isEmpty ? undefined : editor.selection;
    const body = doc.getText(range);
    const where = range ? `${rel}:${range.start.line + 1}-${range.end.line + 1}` : rel;
    const fence = '`'.repeat(Math.max(3, ...[...body.matchAll(/`+/g)].map((x) => x[0].length + 1)));
    return { text: `${where}\n${fence}${doc.languageId}\n${body}\n${fence}`, what: range ? 'selection' : 'file' };
  }

  async function resolveFirstPending(title: string): Promise<{ sessionId: string; approvalId: string } | undefined> {
    const manager = await m();
    const focused = host.focus.focused;
    const focusedSnap = focused ? manager.get(focused) : undefined;
    if (focusedSnap && focusedSnap.pendingApprovals[0]) return { sessionId: focusedSnap.id, approvalId: focusedSnap.pendingApprovals[0].id };
    const id = await pickSession(manager, host.focus, title, (s) => s.state === 'awaiting_approval');
    if (!id) return undefined;
    const snap = await manager.open(id);
    const first = snap.pendingApprovals[0];
    return first ? { sessionId: id, approvalId: first.id } : undefined;
  }

  async function deny(ref: { sessionId: string; approvalId: string } | undefined): Promise<void> {
    if (!ref) return;
    const reason = await vscode.window.showInputBox({ title: 'Deny: reason for the agent (optional)', prompt: 'Sent back to the model' });
    if (reason === undefined) return;
    await (await m()).resolveApproval(ref.sessionId, ref.approvalId, { decision: 'deny', by: 'user', ...(reason ? { reason } : {}) });
  }

  const simple = (name: keyof typeof COMMANDS, verb: 'pause' | 'resume' | 'cancel' | 'compact', filter?: Parameters<typeof pickSession>[3]) =>
    [COMMANDS[name], async () => { const id = await target(`${verb[0]!.toUpperCase()}${verb.slice(1)} session`, filter); if (id) await (await m())[verb](id); }] as const;

  const table: Array<readonly [string, (...args: unknown[]) => Promise<void>]> = [
    [COMMANDS.newSession, async () => {
      const snap = await (await m()).create({ config: host.services().defaultConfig() });
      await revealView();
      host.router().reveal(snap.id);
    }],
    [COMMANDS.openInEditor, async () => { host.panels.open(); }],
    [COMMANDS.sendSelection, async () => { const s = editorSnippet(false); if (s) await sendText(s.text, s.what); }],
    [COMMANDS.sendFile, async () => { const s = editorSnippet(true); if (s) await sendText(s.text, s.what); }],
    simple('pause', 'pause', (s) => s.state === 'running' || s.state === 'awaiting_approval'),
    simple('resume', 'resume', (s) => s.state === 'paused'),
    // The focused session is always cancellable: an idle one may be compacting (cancel aborts it);
    // otherwise cancel of an idle session is a harmless no-op.
    simple('cancel', 'cancel', (s) => s.state !== 'idle' || s.id === host.focus.focused),
    simple('compact', 'compact', (s) => s.state === 'idle' || s.state === 'error'),
    [COMMANDS.approvePending, async () => {
      const ref = await resolveFirstPending('Approve pending tool call');
      if (ref) await (await m()).resolveApproval(ref.sessionId, ref.approvalId, { decision: 'approve', by: 'user' });
    }],
    [COMMANDS.denyPending, async () => deny(await resolveFirstPending('Deny pending tool call'))],
    [COMMANDS.approveFromDiff, async (uri) => {
      const ref = DiffApprovals.refOf(uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri);
      if (ref) await (await m()).resolveApproval(ref.sessionId, ref.approvalId, { decision: 'approve', by: 'user' });
    }],
    [COMMANDS.denyFromDiff, async (uri) => deny(DiffApprovals.refOf(uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri))],
    [COMMANDS.switchModel, async () => {
      const id = await target('Switch model');
      if (!id) return;
      const items = host.services().profiles().flatMap((p) => p.models.map((model) => ({ label: model, description: p.label, providerId: p.id, model })));
      const pick = await vscode.window.showQuickPick(items, { title: 'Switch model', placeHolder: 'Provider and model for the next turn', matchOnDescription: true });
      if (pick) await (await m()).updateConfig(id, host.services().expandConfigPatch({ providerId: pick.providerId, model: pick.model }));
    }],
    [COMMANDS.switchMode, async () => {
      const id = await target('Switch mode');
      if (!id) return;
      const modes: Array<{ label: SessionMode; detail: string }> = [
        { label: 'ask', detail: 'Ask before edits and commands' },
        { label: 'auto-edit', detail: 'Edit files without asking; ask before commands' },
        { label: 'plan', detail: 'Read only: no edits, no commands' },
        { label: 'full', detail: 'Everything allowed unless a rule denies it' },
      ];
      const pick = await vscode.window.showQuickPick(modes, { title: 'Switch mode' });
      if (pick) await (await m()).updateConfig(id, { mode: pick.label });
    }],
    [COMMANDS.rename, async () => {
      const id = await target('Rename session');
      if (!id) return;
      const current = (await m()).list().find((s) => s.id === id)?.title;
      const title = await vscode.window.showInputBox({ title: 'Rename session', value: current, validateInput: (v) => (v.trim() ? undefined : 'The title cannot be empty') });
      if (title) await (await m()).rename(id, title.trim());
    }],
    [COMMANDS.delete, async () => {
      const id = await target('Delete session');
      if (!id) return;
      const manager: SessionManagerApi = await m();
      const entry = manager.list().find((s) => s.id === id);
      const title = entry?.title ?? id;
      // A session with its own worktree: one modal asks what happens to the worktree and branch (its buttons delete).
      const flows = entry?.worktree && entry.worktree.state !== 'discarded' ? (await host.worktreeUi().catch(() => undefined))?.flows : undefined;
      const choice = flows && entry ? await flows.deleteChoice(id, entry) : {};
      if (!choice) return;
      if (!choice.worktree) {
        const ok = await vscode.window.showWarningMessage(`Delete session "${title}" and its history?`, { modal: true }, 'Delete');
        if (ok !== 'Delete') return;
      }
      await manager.delete(id, choice.worktree ? { worktree: choice.worktree } : undefined);
      host.focus.dropSession(id);
      host.changesUiPeek?.reconcile();
    }],
    [COMMANDS.exportMarkdown, async (arg) => {
      const id = typeof arg === 'string' ? arg : await target('Export session as Markdown');
      if (!id) return;
      const manager = await m();
      const snap = await manager.open(id);
      const entries = [];
      let before: number | undefined;
      for (;;) {
        const page = await manager.transcript(id, { limit: 500, ...(before !== undefined ? { beforeSeq: before } : {}) });
        entries.unshift(...page.entries);
        if (!page.hasMore || page.entries.length === 0) break;
        before = page.entries[0]!.seq;
      }
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: sessionToMarkdown(snap, entries) });
      await vscode.window.showTextDocument(doc);
    }],
    [COMMANDS.setApiKey, async (arg) => {
      const profiles = host.services().profiles();
      let providerId = typeof arg === 'string' && profiles.some((p) => p.id === arg) ? arg : undefined;
      if (!providerId) {
        const pick = await vscode.window.showQuickPick(
          profiles.map((p) => ({ label: p.label, description: p.requiresKey ? p.id : `${p.id} · no key needed`, id: p.id })),
          { title: 'Set API key', placeHolder: 'Provider' },
        );
        providerId = pick?.id;
      }
      if (!providerId) return;
      const label = profiles.find((p) => p.id === providerId)?.label ?? providerId;
      const key = await vscode.window.showInputBox({
        title: `API key for ${label}`, prompt: 'Stored in VS Code Secret Storage; never in settings or logs. Leave empty to remove.',
        password: true, ignoreFocusOut: true,
      });
      if (key === undefined) return;
      await host.secrets.setApiKey(providerId, key);
      host.services().clearNotice(`no-key:${providerId}`);
      host.services().refresh();
      host.logger.info(`API key for ${providerId} ${key.trim() ? 'stored' : 'removed'}.`);
      void vscode.window.showInformationMessage(`API key for ${label} ${key.trim() ? 'saved' : 'removed'}.`);
    }],
    [COMMANDS.addProvider, async (arg) => { await runAddProvider(host, typeof arg === 'string' ? arg : undefined); }],
    [COMMANDS.openLogs, async () => { host.channel.show(); }],
    [COMMANDS.trustWorkspace, async () => { await vscode.commands.executeCommand('workbench.trust.manage'); }],
    [COMMANDS.showMcpServers, async () => {
      const parts = await host.knowledge();
      if (!parts) return;
      const manager = await m();
      const focused = host.focus.focused;
      const snap = focused ? manager.get(focused) : undefined;
      await showMcpServers(parts, () => host.channel.show(), snap && {
        title: snap.title, disabled: snap.config.disabledMcpServers ?? [],
        set: async (disabled) => { await manager.updateConfig(snap.id, { disabledMcpServers: disabled }); },
      });
    }],
    [COMMANDS.openMemory, async () => { await host.memory.open(); }],
    [COMMANDS.showKnowledge, async () => {
      const parts = await host.knowledge();
      if (parts) await showSkillsAndRules(parts);
    }],
    [COMMANDS.takeOver, async (arg) => {
      const manager = await m();
      const id = typeof arg === 'string' ? arg : await target('Take over session here', (s) => manager.readOnlyBy(s.id) !== undefined);
      if (!id) return;
      await manager.takeOver(id);
      await revealView();
      host.router().reveal(id);
    }],
    [COMMANDS.focusWaiting, async () => {
      await revealView();
      const s = summarize((await m()).list());
      if (s.target) host.router().reveal(s.target);
    }],
  ];
  return new Map(table.map(([id, fn]) => [id, guarded(host, id, fn)]));
}
