/**
 * Inline approval: Approve, Deny (with an optional reason), Always allow (the suggested rule,
 * editable, with a scope), View diff. Every control is a real button/input, so it is
 * keyboard reachable and has an accessible name.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PendingApprovalInfo, RuleScope } from '../../../../src/shared/session';
import { icon } from '../../codicons';
import { emit } from '../../events';
import { baseStyles } from '../../styles';

@customElement('as-approval-card')
export class AsApprovalCard extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    .card { border: 1px solid var(--vscode-editorWarning-foreground, var(--vscode-focusBorder)); border-radius: 3px; padding: 6px 8px;
      background: var(--vscode-editorWidget-background, transparent); }
    .actions, .extra { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-top: 6px; }
    .extra input { flex: 1; min-width: 160px; }
    .head { display: flex; gap: 6px; align-items: flex-start; }
    .head .codicon { color: var(--vscode-editorWarning-foreground, var(--vscode-foreground)); margin-top: 1px; }
    pre { margin: 4px 0; white-space: pre-wrap; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
  `];

  @property({ attribute: false }) approval!: PendingApprovalInfo;
  @state() private panel: 'none' | 'deny' | 'always' = 'none';

  override render() {
    const a = this.approval;
    return html`
      <div class="card" role="group" aria-label="Approval needed: ${a.toolName}">
        <div class="head">${icon('shield')}<div><strong>${a.label ? `${a.label}: ` : ''}Allow ${a.toolName}?</strong> <span class="muted">${a.reason}</span></div></div>
        <pre>${a.summary}</pre>
        ${a.subcommands?.length ? html`<div class="muted">Commands: ${a.subcommands.join(' · ')}</div>` : nothing}
        <div class="actions">
          <button @click=${this.approve}>Approve</button>
          <button class="secondary" aria-expanded=${this.panel === 'deny'} @click=${() => this.toggle('deny')}>Deny</button>
          <button class="secondary" aria-expanded=${this.panel === 'always'} @click=${() => this.toggle('always')}>Always allow</button>
          ${a.diff !== undefined ? html`<button class="secondary" @click=${() => emit(this, 'as-view-diff', { sessionId: a.sessionId, approvalId: a.id })}>${icon('diff', { small: true })}View diff</button>` : nothing}
        </div>
        ${this.panel === 'deny' ? html`
          <div class="extra">
            <input id="reason" aria-label="Reason for denying (sent to the model)" placeholder="Reason (optional, sent to the model)"
              maxlength="10000" @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') this.deny(); }}>
            <button @click=${this.deny}>Deny with reason</button>
          </div>` : nothing}
        ${this.panel === 'always' ? html`
          <div class="extra">
            <input id="rule" aria-label="Rule to always allow" .value=${a.suggestedRule ?? a.toolName} maxlength="1000">
            <select id="scope" aria-label="Rule scope">
              <option value="session">this session</option>
              <option value="workspace" selected>this workspace</option>
              <option value="user">all workspaces (user)</option>
            </select>
            <button @click=${this.alwaysAllow}>Save rule and approve</button>
          </div>` : nothing}
      </div>`;
  }

  private async toggle(panel: 'deny' | 'always'): Promise<void> {
    this.panel = this.panel === panel ? 'none' : panel;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('.extra input')?.focus();
  }

  private approve(): void {
    emit(this, 'as-approve', { sessionId: this.approval.sessionId, approvalId: this.approval.id });
  }

  private deny(): void {
    const reason = this.renderRoot.querySelector<HTMLInputElement>('#reason')?.value.trim();
    emit(this, 'as-deny', { sessionId: this.approval.sessionId, approvalId: this.approval.id, ...(reason ? { reason } : {}) });
  }

  private alwaysAllow(): void {
    const pattern = this.renderRoot.querySelector<HTMLInputElement>('#rule')?.value.trim() ?? '';
    const scope = (this.renderRoot.querySelector<HTMLSelectElement>('#scope')?.value ?? 'workspace') as RuleScope;
    if (!pattern) return;
    emit(this, 'as-approve', { sessionId: this.approval.sessionId, approvalId: this.approval.id, alwaysAllow: { pattern, scope } });
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-approval-card': AsApprovalCard }
}
