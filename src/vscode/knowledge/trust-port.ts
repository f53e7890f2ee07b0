/**
 * The WorkspaceTrust port the registries use (src/core/skills/workspace-ports.ts), over the host's
 * WorkspaceTrustState (vscode.workspace.isTrusted / onDidGrantWorkspaceTrust). Granting trust
 * reaches the skill registry (reload with workspace skills) and the MCP manager (workspace servers
 * start, after their approval) through `onDidChangeTrust`.
 */
import type { WorkspaceTrust } from '../../core/skills/workspace-ports';
import type { WorkspaceTrustState } from '../trust';

export function workspaceTrustPort(state: WorkspaceTrustState): WorkspaceTrust {
  return {
    isTrusted: () => state.isTrusted,
    onDidChangeTrust: (listener) => state.onDidChange(listener),
  };
}
