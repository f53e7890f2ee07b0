/**
 * Typed custom events the elements dispatch (all prefixed `as-`, bubbling and composed so
 * they cross shadow roots). `<as-app>` turns them into host requests.
 */
import type { RestoreResult } from '../../src/shared/changes';
import type { ConfigPatch, HostActionId, ModelInfo, ModelListing } from '../../src/shared/protocol';
import type { RuleScope, SessionMode } from '../../src/shared/session';
import type { WorkspaceChoice, WorktreeDeleteChoice } from '../../src/shared/worktree';

export interface AsEventDetails {
  'as-select-tab': { sessionId: string };
  'as-close-tab': { sessionId: string };
  'as-rename': { sessionId: string; title: string };
  /** `children`: what to do with the session's child sessions (asked when it has any). */
  'as-delete': { sessionId: string; children?: 'delete' | 'keep'; worktree?: WorktreeDeleteChoice };
  /** Show/hide a per-tab side panel: the Context panel or the side question ("btw"). */
  'as-toggle-panel': { panel: 'context' | 'btw' };
  'as-new-session': { providerId?: string; model?: string; mode?: SessionMode; title?: string; workspace?: WorkspaceChoice; agent?: string };
  /** Open the session's terminal (its folder as cwd); `follow`: the one that shows its commands as they run. */
  'as-terminal': { sessionId: string; follow?: boolean };
  'as-session-action': { sessionId: string; action: 'pause' | 'resume' | 'cancel' | 'compact' };
  'as-config': { sessionId: string; patch: ConfigPatch };
  'as-send': { sessionId: string; text: string };
  'as-remove-queued': { sessionId: string; promptId: string };
  'as-approve': { sessionId: string; approvalId: string; alwaysAllow?: { pattern: string; scope: RuleScope; confirmBroad?: boolean } };
  'as-deny': { sessionId: string; approvalId: string; reason?: string };
  'as-view-diff': { sessionId: string; approvalId: string };
  'as-open-link': { href: string; sessionId?: string };
  'as-host-action': { action: HostActionId; providerId?: string; sessionId?: string; presetId?: string };
  /** "Take over here": this window becomes the writer of a session another window writes. */
  'as-take-over': { sessionId: string };
  /** A damaged session: open what of its log can be read. */
  'as-open-readable': { sessionId: string };
  'as-load-older': { sessionId: string };
  /** "Restore checkpoint…" on a user message or a compaction (record `key`); `label` names it in the dialog. */
  'as-restore-checkpoint': { sessionId: string; key: string; label: string };
  /** "Edit and resend": restore both to just before user message `key`, then its text goes in the composer. */
  'as-edit-resend': { sessionId: string; key: string; text: string; label: string };
  /** "Fork from here": a new session with the history up to the end of record `key`'s turn. */
  'as-fork': { sessionId: string; key: string };
  /** "Redo (undo this restore)" on the latest restore's marker. */
  'as-redo': { sessionId: string; restoreId: string };
  /** Open the session's Changes view (or one file's diff). */
  'as-show-changes': { sessionId: string; path?: string };
  /** The restore dialog restored (`resend`: the text of an edited message, for the composer). */
  'as-restore-done': { sessionId: string; result: RestoreResult; resend?: string };
  'as-restore-close': Record<string, never>;
  'as-open-new': Record<string, never>;
  'as-show-closed': Record<string, never>;
  'as-cancel-new': Record<string, never>;
  'as-dismiss-error': Record<string, never>;
  /** The model picker's choice (`info`: what the listing said about it; absent for a typed id). */
  'as-model-pick': { model: string; info?: ModelInfo };
  /** The model picker received a provider's listing (capabilities for the effort control). */
  'as-models-listed': { providerId: string; listing: ModelListing };
}

export type AsEventName = keyof AsEventDetails;
export type AsEvent<K extends AsEventName> = CustomEvent<AsEventDetails[K]>;

/** Dispatches a typed `as-*` event from `el`. */
export function emit<K extends AsEventName>(el: EventTarget, name: K, detail: AsEventDetails[K]): void {
  el.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementEventMap {
    'as-select-tab': AsEvent<'as-select-tab'>;
    'as-close-tab': AsEvent<'as-close-tab'>;
    'as-rename': AsEvent<'as-rename'>;
    'as-delete': AsEvent<'as-delete'>;
    'as-new-session': AsEvent<'as-new-session'>;
    'as-session-action': AsEvent<'as-session-action'>;
    'as-config': AsEvent<'as-config'>;
    'as-send': AsEvent<'as-send'>;
    'as-remove-queued': AsEvent<'as-remove-queued'>;
    'as-approve': AsEvent<'as-approve'>;
    'as-deny': AsEvent<'as-deny'>;
    'as-view-diff': AsEvent<'as-view-diff'>;
    'as-open-link': AsEvent<'as-open-link'>;
    'as-host-action': AsEvent<'as-host-action'>;
    'as-take-over': AsEvent<'as-take-over'>;
    'as-open-readable': AsEvent<'as-open-readable'>;
    'as-load-older': AsEvent<'as-load-older'>;
    'as-open-new': AsEvent<'as-open-new'>;
    'as-show-closed': AsEvent<'as-show-closed'>;
    'as-cancel-new': AsEvent<'as-cancel-new'>;
    'as-dismiss-error': AsEvent<'as-dismiss-error'>;
    'as-terminal': AsEvent<'as-terminal'>;
    'as-toggle-panel': AsEvent<'as-toggle-panel'>;
    'as-restore-checkpoint': AsEvent<'as-restore-checkpoint'>;
    'as-edit-resend': AsEvent<'as-edit-resend'>;
    'as-fork': AsEvent<'as-fork'>;
    'as-redo': AsEvent<'as-redo'>;
    'as-show-changes': AsEvent<'as-show-changes'>;
    'as-restore-done': AsEvent<'as-restore-done'>;
    'as-restore-close': AsEvent<'as-restore-close'>;
    'as-model-pick': AsEvent<'as-model-pick'>;
    'as-models-listed': AsEvent<'as-models-listed'>;
  }
}
