/**
 * Builds the host's workspace knowledge from small ports: what vscode-ports.ts binds to VS Code
 * and the tests bind to fakes, so both run the same composition. Pure: no 'vscode' import.
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { McpManagerOptions } from '../../core/mcp/manager';
import type { Logger } from '../../core/ports';
import type { SecretRegistry } from '../logger';
import type { SecretStoragePort } from '../secrets';
import type { SettingInspection } from '../settings';
import type { WorkspaceTrustState } from '../trust';
import { VsCodeFileWatcher, type CreateFsWatcher } from './file-watcher';
import { McpStartApprovals, type MementoLike, type ShowModalWarning } from './mcp-approval';
import { PromptingMcpInputResolver, type ShowInputBox } from './mcp-inputs';
import { settingsServers } from './mcp-settings';
import { workspaceTrustPort } from './trust-port';
import { WorkspaceKnowledge } from './workspace-knowledge';

export interface KnowledgePorts {
  createWatcher: CreateFsWatcher;
  showModalWarning: ShowModalWarning;
  showInputBox: ShowInputBox;
  secrets: SecretStoragePort;
  workspaceState: MementoLike;
  trust: WorkspaceTrustState;
  redactor: SecretRegistry;
  logger: Logger;
  /** Absolute first workspace folder. */
  workspaceRoot: string | undefined;
  /** Raw setting agentSessions.userSkillsFolder. */
  userSkillsFolder: string;
  /** `inspect('mcpServers')` of the agentSessions section, read on every MCP config reload. */
  inspectMcpSettings(): SettingInspection | undefined;
  mcpOptions?: Partial<Pick<McpManagerOptions, 'callTimeoutMs' | 'connectTimeoutMs' | 'backoff' | 'env'>>;
  /** Watcher event coalescing, ms (default 50) and config reload debounce, ms (default 200). */
  watchCoalesceMs?: number;
  configDebounceMs?: number;
}

export interface VsCodeKnowledge {
  knowledge: WorkspaceKnowledge;
  approvals: McpStartApprovals;
  inputs: PromptingMcpInputResolver;
}

/** `~/x` and absolute paths as they are; a relative path is taken from the workspace root. */
export function resolveUserFolder(raw: string, workspaceRoot: string | undefined): string | undefined {
  const v = raw.trim();
  if (!v) return undefined;
  if (v === '~' || v.startsWith('~/')) return join(homedir(), v.slice(1));
  if (isAbsolute(v)) return v;
  return workspaceRoot ? join(workspaceRoot, v) : undefined;
}

export function composeKnowledge(p: KnowledgePorts): VsCodeKnowledge {
  const approvals = new McpStartApprovals(p.showModalWarning, p.workspaceState, p.workspaceRoot);
  const inputs = new PromptingMcpInputResolver({
    showInputBox: p.showInputBox, secrets: p.secrets, memento: p.workspaceState, redactor: p.redactor, workspaceRoot: p.workspaceRoot ?? '',
  });
  const userSkillsDir = resolveUserFolder(p.userSkillsFolder, p.workspaceRoot);
  const knowledge: WorkspaceKnowledge = new WorkspaceKnowledge({
    ...(p.workspaceRoot ? { workspaceRoot: p.workspaceRoot } : {}),
    ...(userSkillsDir ? { userSkillsDir } : {}),
    trust: workspaceTrustPort(p.trust),
    watcher: new VsCodeFileWatcher(p.createWatcher, p.watchCoalesceMs),
    approval: approvals, approvalStore: approvals, inputs,
    settingsServers: () => {
      const read = settingsServers(p.inspectMcpSettings());
      knowledge.setSettingsProblems(read.problems);
      return read.servers;
    },
    logger: p.logger,
    ...(p.mcpOptions ? { mcpOptions: p.mcpOptions } : {}),
    ...(p.configDebounceMs !== undefined ? { configDebounceMs: p.configDebounceMs } : {}),
  });
  return { knowledge, approvals, inputs };
}
