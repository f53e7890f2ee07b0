/**
 * Binds the knowledge ports to VS Code: file watchers over `workspace.createFileSystemWatcher`,
 * the MCP start dialog over a modal `showWarningMessage`, `${input:…}` over `showInputBox` +
 * SecretStorage, answers in `workspaceState`. The composition itself is compose.ts (plain Node).
 */
import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import type { SecretRegistry } from '../logger';
import { SECTION } from '../settings';
import type { WorkspaceTrustState } from '../trust';
import { composeKnowledge, type VsCodeKnowledge } from './compose';

export type { VsCodeKnowledge } from './compose';

export interface KnowledgeHost {
  context: vscode.ExtensionContext;
  logger: Logger;
  trust: WorkspaceTrustState;
  redactor: SecretRegistry;
  workspaceRoot: string | undefined;
  /** Raw setting agentSessions.userSkillsFolder. */
  userSkillsFolder: string;
}

export function createVsCodeKnowledge(host: KnowledgeHost): VsCodeKnowledge {
  return composeKnowledge({
    createWatcher: (base, pattern) => vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(base), pattern)),
    showModalWarning: (message, options, ...items) => vscode.window.showWarningMessage(message, options, ...items),
    showInputBox: (o) => vscode.window.showInputBox(o),
    secrets: host.context.secrets,
    workspaceState: host.context.workspaceState,
    trust: host.trust, redactor: host.redactor, logger: host.logger,
    workspaceRoot: host.workspaceRoot, userSkillsFolder: host.userSkillsFolder,
    inspectMcpSettings: () => vscode.workspace.getConfiguration(SECTION).inspect('mcpServers'),
  });
}
