/**
 * Binds the knowledge ports to VS Code: file watchers over `workspace.createFileSystemWatcher`,
 * the MCP start dialog over a modal `showWarningMessage`, `${input:…}` over `showInputBox` +
 * SecretStorage, answers in `workspaceState`. Everything else in this folder is plain Node.
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import type { SecretRegistry } from '../logger';
import type { WorkspaceTrustState } from '../trust';
import { SECTION } from '../settings';
import { VsCodeFileWatcher } from './file-watcher';
import { McpStartApprovals } from './mcp-approval';
import { PromptingMcpInputResolver } from './mcp-inputs';
import { settingsServers } from './mcp-settings';
import { workspaceTrustPort } from './trust-port';
import { WorkspaceKnowledge } from './workspace-knowledge';

export interface KnowledgeHost {
  context: vscode.ExtensionContext;
  logger: Logger;
  trust: WorkspaceTrustState;
  redactor: SecretRegistry;
  workspaceRoot: string | undefined;
  /** Raw setting agentSessions.userSkillsFolder. */
  userSkillsFolder: string;
}

/** `~/x` and absolute paths; a relative path is taken from the workspace root. */
export function resolveUserFolder(raw: string, workspaceRoot: string | undefined): string | undefined {
  const v = raw.trim();
  if (!v) return undefined;
  if (v === '~' || v.startsWith('~/')) return join(homedir(), v.slice(1));
  if (isAbsolute(v)) return v;
  return workspaceRoot ? join(workspaceRoot, v) : undefined;
}

export function readSettingsServers(): ReturnType<typeof settingsServers> {
  return settingsServers(vscode.workspace.getConfiguration(SECTION).inspect('mcpServers'));
}

export interface VsCodeKnowledge {
  knowledge: WorkspaceKnowledge;
  approvals: McpStartApprovals;
  inputs: PromptingMcpInputResolver;
}

export function createVsCodeKnowledge(host: KnowledgeHost): VsCodeKnowledge {
  const { context, workspaceRoot } = host;
  const watcher = new VsCodeFileWatcher((base, pattern) =>
    vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(base), pattern)));
  const approvals = new McpStartApprovals(
    (message, options, ...items) => vscode.window.showWarningMessage(message, options, ...items),
    context.workspaceState, workspaceRoot,
  );
  const inputs = new PromptingMcpInputResolver({
    showInputBox: (o) => vscode.window.showInputBox(o),
    secrets: context.secrets, memento: context.workspaceState, redactor: host.redactor, workspaceRoot: workspaceRoot ?? '',
  });
  const userSkillsDir = resolveUserFolder(host.userSkillsFolder, workspaceRoot);
  const knowledge = new WorkspaceKnowledge({
    ...(workspaceRoot ? { workspaceRoot } : {}),
    ...(userSkillsDir ? { userSkillsDir } : {}),
    trust: workspaceTrustPort(host.trust), watcher, approval: approvals, approvalStore: approvals, inputs,
    settingsServers: () => {
      const read = readSettingsServers();
      knowledge.setSettingsProblems(read.problems);
      return read.servers;
    },
    logger: host.logger,
  });
  return { knowledge, approvals, inputs };
}
