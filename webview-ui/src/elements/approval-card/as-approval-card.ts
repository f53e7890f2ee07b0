/**
 * Inline approval: Approve, Deny (with an optional reason), Always allow (the suggested rule,
 * editable, with a scope), View diff. Every control is a real button/input, so it is
 * keyboard reachable and has an accessible name. "Always allow" is not offered where the approval
 * cannot be remembered (sensitive targets, commands that cannot be analysed); a rule broader than
 * the approved call is saved only after a second confirmation that says what it allows.
 */
import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PendingApprovalInfo, RuleScope } from '../../../../src/shared/session';
import { icon } from '../../codicons';
import { emit } from '../../events';
import { HostRequestError, hostClientContext, type HostClient } from '../../host-client';
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
  @consume({ context: hostClientContext }) private client?: HostClient;
  @state() private panel: 'none' | 'deny' | 'always' = 'none';
  /** The host asked to confirm a broad rule (its message), or refused the rule (error). */
  @state() private ruleNote?: { kind: 'confirm' | 'error'; message: string; pattern: string; scope: RuleScope };
  @state() private saving = false;

  override render() {
    const a = this.approval;
    return html`
      <div class="card" role="group" aria-label="Approval needed: ${a.toolName}">
        <div class="head">${icon('shield')}<div><strong>${a.label ? `${a.label}: ` : ''}${a.unsandboxed ? 'Run without the sandbox?' : `Allow ${a.toolName}?`}</strong> <span class="muted">${a.reason}</span></div></div>
        <pre>${a.summary}</pre>
        ${a.subcommands?.length ? html`<div class="muted">Commands: ${a.subcommands.join(' · ')}</div>` : nothing}
        ${a.rememberable === false ? html`<div class="muted" role="note">This approval cannot be remembered as a rule; approve it once or deny it.</div>` : nothing}
        <div class="actions">
          <button @click=${this.approve}>${a.unsandboxed ? 'Run unsandboxed once' : 'Approve'}</button>
          <button class="secondary" aria-expanded=${this.panel === 'deny'} @click=${() => this.toggle('deny')}>Deny</button>
          ${a.rememberable === false ? nothing : html`<button class="secondary" aria-expanded=${this.panel === 'always'} @click=${() => this.toggle('always')}>Always allow</button>`}
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
            <input id="rule" aria-label="Rule to always allow" .value=${a.suggestedRule ?? ''} placeholder=${a.toolName === 'run_command' ? 'e.g. run_command(npm test:*)' : a.toolName} maxlength="1000">
            <select id="scope" aria-label="Rule scope">
              <option value="session">this session</option>
              <option value="workspace" selected>this workspace</option>
              <option value="user">all workspaces (user)</option>
            </select>
            <button ?disabled=${this.saving} @click=${() => this.alwaysAllow(false)}>Save rule and approve</button>
          </div>
          ${this.ruleNote ? html`
            <div class="extra" role="alert">
              <span>${this.ruleNote.message}</span>
              ${this.ruleNote.kind === 'confirm' ? html`
                <button ?disabled=${this.saving} @click=${() => this.alwaysAllow(true)}>Save this broader rule and approve</button>
                <button class="secondary" @click=${() => { this.ruleNote = undefined; }}>Back</button>` : nothing}
            </div>` : nothing}` : nothing}
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

  private async alwaysAllow(confirmBroad: boolean): Promise<void> {
    const pattern = confirmBroad && this.ruleNote ? this.ruleNote.pattern : this.renderRoot.querySelector<HTMLInputElement>('#rule')?.value.trim() ?? '';
    const scope = confirmBroad && this.ruleNote ? this.ruleNote.scope : (this.renderRoot.querySelector<HTMLSelectElement>('#scope')?.value ?? 'workspace') as RuleScope;
    if (!pattern) return;
    const alwaysAllow = { pattern, scope, ...(confirmBroad ? { confirmBroad: true } : {}) };
    const { sessionId, id: approvalId } = this.approval;
    if (!this.client) { emit(this, 'as-approve', { sessionId, approvalId, alwaysAllow }); return; }
    this.saving = true;
    try {
      await this.client.request('approvals.resolve', { sessionId, approvalId, decision: 'approve', alwaysAllow });
      this.ruleNote = undefined;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.ruleNote = { kind: err instanceof HostRequestError && err.code === 'needs_confirmation' ? 'confirm' : 'error', message, pattern, scope };
    } finally {
      this.saving = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-approval-card': AsApprovalCard }
}
