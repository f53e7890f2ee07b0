/**
 * The proposed side of a file-edit approval, computed by the tool itself (validate + describe),
 * so the diff editor shows exactly what approving would write. Pure: runs in plain Node.
 */
import type { ToolRegistryLike } from '../core/tools/types';
import type { PendingApprovalInfo } from '../shared/session';

export interface ProposedEdit {
  /** Absolute path of the file. */
  path: string;
  before: string;
  after: string;
}

/** undefined when the approval is not a file edit (or its arguments no longer validate). */
export async function computeProposedEdit(
  tools: ToolRegistryLike, approval: PendingApprovalInfo, workspaceRoots: readonly string[],
): Promise<ProposedEdit | undefined> {
  const tool = tools.get(approval.toolName);
  if (!tool || tool.kind !== 'edit') return undefined;
  const v = tool.validate(approval.args);
  if (!v.ok) return undefined;
  const description = await tool.describe(v.value, { workspaceRoots, sessionId: approval.sessionId });
  return description.proposed;
}
