/** What the restore dialog is asked to show, and when "Edit and resend" needs it at all. */
import type { RestorePreview } from '../../../../src/shared/changes';

export type RestoreRequest =
  /**
   * Restore checkpoint `key` after a preview. `resend`: "Edit and resend" (scope fixed to both; the
   * message's text goes in the composer afterwards). `preview`: already fetched (with scope both).
   */
  | { kind: 'restore'; sessionId: string; key: string; label: string; resend?: string; preview?: RestorePreview }
  /** A redo left files as they were (someone changed them since): which, and why. */
  | { kind: 'skipped'; sessionId: string; skipped: Array<{ path: string; reason: string }> };

/** A restore can go ahead without asking when no file conflicts and every file can be put back. */
export function needsReview(preview: RestorePreview): boolean {
  return preview.files.some((f) => f.conflict !== undefined || f.unrestorable !== undefined);
}
