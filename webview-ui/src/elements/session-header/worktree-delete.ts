/**
 * The part of the header's delete confirmation for a session with a worktree of its own: keep the
 * worktree and branch (the default: nothing of the work is lost), remove the folder only, or both,
 * and what each removal loses (uncommitted files; commits of a branch that goes).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { WorktreeDeleteChoice, WorktreeStatus } from '../../../../src/shared/worktree';

export const WORKTREE_DELETE_CHOICES: Array<{ id: WorktreeDeleteChoice; label: string }> = [
  { id: 'keep', label: 'Keep worktree and branch' },
  { id: 'remove-worktree', label: 'Remove worktree, keep branch' },
  { id: 'remove-all', label: 'Remove both' },
];

/** What `choice` would lose, in words (empty when nothing, or the status is not known). */
export function deleteLoss(choice: WorktreeDeleteChoice, status: WorktreeStatus | undefined): string {
  if (choice === 'keep' || !status) return '';
  const files = status.uncommitted.length;
  const lost = [
    files > 0 ? `${files} uncommitted file${files === 1 ? '' : 's'}` : '',
    choice === 'remove-all' && status.ahead > 0 ? `${status.ahead} commit${status.ahead === 1 ? '' : 's'} of its branch` : '',
  ].filter(Boolean);
  return lost.length > 0 ? `This loses ${lost.join(' and ')}: commit or apply them first to keep them.` : '';
}

/** The radio group (`choice` checked); `onPick` gets the user's choice. */
export function renderWorktreeDelete(o: {
  branch: string; path: string; choice: WorktreeDeleteChoice; status: WorktreeStatus | undefined; onPick(choice: WorktreeDeleteChoice): void;
}): TemplateResult {
  const loss = deleteLoss(o.choice, o.status);
  return html`
    <fieldset class="worktree-choice" data-worktree-delete>
      <legend title=${o.path}>Its worktree (branch ${o.branch}):</legend>
      ${WORKTREE_DELETE_CHOICES.map((c) => html`<label><input type="radio" name="worktree-delete" value=${c.id} .checked=${c.id === o.choice}
        @change=${() => o.onPick(c.id)}>${c.label}</label>`)}
    </fieldset>
    ${loss ? html`<span class="loss" role="note" data-delete-loss>${loss}</span>` : nothing}`;
}
