/**
 * A tool call: name, arguments, status, streamed output, result or error, duration, and what allowed it;
 * under it, the files it changed and what of its changes could not be captured (the change ledger).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { icon, type CodiconName } from '../../codicons';
import { baseStyles } from '../../styles';
import type { ToolRecord, ToolStatus } from '../../../../src/shared/transcript';
import '../approval-card/as-approval-card';
import '../hook-runs/as-hook-runs';
import './as-memory-writes';
import '../question-card/as-question-card';

const STATUS_LABEL: Record<ToolStatus, string> = {
  requested: 'requested', awaiting_approval: 'waiting for approval', running: 'running', done: 'done', error: 'error', denied: 'denied', interrupted: 'interrupted',
};

const STATUS_ICON: Record<ToolStatus, CodiconName | 'loading~spin'> = {
  requested: 'loading~spin', awaiting_approval: 'shield', running: 'loading~spin', done: 'check', error: 'error', denied: 'circle-slash', interrupted: 'circle-slash',
};

/** Results are shown up to this many characters (the full text stays in the log). */
const MAX_SHOWN = 20_000;

@customElement('as-tool-card')
export class AsToolCard extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    details { border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, transparent)); border-radius: 3px; padding: 2px 6px; }
    summary { cursor: pointer; display: flex; gap: 6px; align-items: center; min-width: 0; }
    summary::-webkit-details-marker { display: none; }
    summary::marker { content: ''; }
    /* A codicon chevron replaces the native marker (which ignores the theme's icon colour). */
    .chevron { display: inline-flex; color: var(--vscode-icon-foreground, var(--vscode-foreground)); transition: transform 0.1s; }
    details[open] > summary .chevron { transform: rotate(90deg); }
    .status { display: inline-flex; align-items: center; gap: 4px; }
    .status .codicon { color: var(--vscode-icon-foreground, var(--vscode-foreground)); }
    .status[data-status='done'] .codicon { color: var(--vscode-testing-iconPassed, var(--vscode-charts-green, var(--vscode-foreground))); }
    .status[data-status='awaiting_approval'] .codicon { color: var(--vscode-editorWarning-foreground); }
    .status[data-status='error'], .status[data-status='interrupted'], .status[data-status='denied'],
    .status[data-status='error'] .codicon, .status[data-status='interrupted'] .codicon, .status[data-status='denied'] .codicon { color: var(--vscode-errorForeground); }
    .label { font-size: 0.9em; }
    .name { font-family: var(--vscode-editor-font-family); }

    pre { margin: 4px 0; max-height: 240px; overflow: auto; white-space: pre-wrap; word-break: break-word;
      font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size);
      background: var(--vscode-textCodeBlock-background, transparent); padding: 4px; }
    .meta { font-size: 0.9em; }
    as-approval-card { margin-top: 6px; }
    .files, .change-note { display: flex; gap: 4px; align-items: flex-start; font-size: 0.9em; margin-top: 2px; padding: 0 6px; }
    .files ul { display: inline; list-style: none; margin: 0; padding: 0; }
    .files li { display: inline; font-family: var(--vscode-editor-font-family); word-break: break-all; }
    .files li + li::before { content: ', '; font-family: var(--vscode-font-family); }
    .change-note { color: var(--vscode-editorWarning-foreground, var(--vscode-foreground)); }
    .progress { display: flex; gap: 6px; align-items: center; font-size: 0.9em; padding: 0 6px; } .progress progress { flex: 0 0 120px; }
  `];

  @property({ attribute: false }) row!: ToolRecord;
  /** The session the call belongs to (memory.undo names it). */
  @property() sessionId = '';

  override render() {
    const r = this.row;
    const args = JSON.stringify(r.args, null, 2);
    // Open when it needs the user or did not run: why is the first thing to read.
    const open = r.status === 'awaiting_approval' || r.status === 'error' || r.status === 'denied';
    return html`
      <details ?open=${open} aria-label="Tool call ${r.name}, ${STATUS_LABEL[r.status]}">
        <summary>
          <span class="chevron">${icon('chevron-right', { small: true })}</span>
          <strong class="name">${r.name}</strong>
          <span class="status" data-status=${r.status}>${icon(STATUS_ICON[r.status], { small: true })}<span class="label">${STATUS_LABEL[r.status]}</span></span>
          ${r.durationMs !== undefined ? html`<span class="muted">${formatDuration(r.durationMs)}</span>` : nothing}
        </summary>
        <div class="meta muted">Arguments</div>
        <pre>${args.length > MAX_SHOWN ? `${args.slice(0, MAX_SHOWN)}…` : args}</pre>
        ${r.permission ? html`<div class="meta muted" data-permission>${permissionLine(r, r.permission)}</div>` : nothing}
        ${r.permission?.sandbox ? html`<div class="meta muted sandbox" data-sandboxed=${r.permission.sandbox.startsWith('sandboxed')}>${icon(r.permission.sandbox.startsWith('sandboxed') ? 'lock' : 'unlock', { small: true })}${r.permission.sandbox}</div>` : nothing}
        ${r.hooks?.length ? html`<as-hook-runs .runs=${r.hooks} data-hooks></as-hook-runs>` : nothing}
        ${r.resolution ? html`<div class="meta muted">${r.resolution.decision === 'approve' ? 'Approved' : 'Denied'}${r.resolution.by && r.resolution.by !== 'user' ? ` (${r.resolution.by})` : ''}${r.resolution.reason ? `: ${r.resolution.reason}` : ''}</div>` : nothing}
        ${r.output && r.result === undefined ? html`<div class="meta muted">Output</div><pre aria-live="off">${r.output}</pre>` : nothing}
        ${r.result !== undefined ? html`
          <div class="meta ${r.status === 'error' ? 'error' : 'muted'}">${r.status === 'error' ? 'Error' : r.status === 'denied' ? 'Sent to the model' : 'Result'}</div>
          <pre>${r.result.length > MAX_SHOWN ? `${r.result.slice(0, MAX_SHOWN)}…` : r.result}</pre>` : nothing}
      </details>
      ${r.files?.length ? html`<div class="files muted" data-files>${icon('files', { small: true })}<span>Changed:</span>
        <ul aria-label="Files changed by ${r.name}">${r.files.map((f) => html`<li>${f}</li>`)}</ul></div>` : nothing}
      ${r.changeNote ? html`<div class="change-note" role="note" data-change-note>${icon('warning', { small: true })}<span>Not all changes captured: ${r.changeNote}</span></div>` : nothing}
      ${r.memory?.length ? html`<as-memory-writes .writes=${r.memory} .sessionId=${this.sessionId} .callId=${r.callId}></as-memory-writes>` : nothing}
      ${r.progress && (r.status === 'running' || r.status === 'requested') ? html`<div class="progress muted" data-progress>${r.progress.total ? html`<progress max=${r.progress.total} .value=${r.progress.progress} aria-label="Progress of ${r.name}"></progress>` : nothing}<span>${r.progress.message ?? (r.progress.total ? `${r.progress.progress} of ${r.progress.total}` : `${r.progress.progress}`)}</span></div>` : nothing}
      ${r.questions?.map((q) => html`<as-question-card .question=${q.question} .answer=${q.answer}></as-question-card>`) ?? nothing}
      ${r.approval ? html`<as-approval-card .approval=${r.approval}></as-approval-card>` : nothing}`;
  }
}

/** "Allowed by: mode auto-edit", "Denied by: user" — a denied call never reads "Allowed by". */
function permissionLine(r: ToolRecord, p: NonNullable<ToolRecord['permission']>): string {
  if (r.status !== 'denied' && p.decision !== 'deny') return `Allowed by: ${p.source}`;
  // Core names a user's denial "denied by user": said once, not "Denied by: denied by user".
  return `Denied by: ${p.source.replace(/^denied by /i, '')}`;
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

declare global {
  interface HTMLElementTagNameMap { 'as-tool-card': AsToolCard }
}
