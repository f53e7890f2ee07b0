/** Host-state banners: untrusted workspace, missing API key, failed requests. */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { HostInfo, HostNotice } from '../../../../src/shared/protocol';
import { icon, type CodiconName } from '../../codicons';
import { emit } from '../../events';
import { baseStyles } from '../../styles';

const SEVERITY_ICON: Record<HostNotice['severity'], CodiconName> = { error: 'error', warning: 'warning', info: 'info' };

@customElement('as-banner')
export class AsBanner extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    .notice { display: flex; gap: 8px; align-items: center; padding: 4px 8px;
      background: var(--vscode-inputValidation-warningBackground, var(--vscode-editorWidget-background));
      border-bottom: 1px solid var(--vscode-inputValidation-warningBorder, var(--vscode-widget-border, transparent)); }
    .notice[data-severity='error'] { background: var(--vscode-inputValidation-errorBackground, var(--vscode-editorWidget-background));
      border-color: var(--vscode-inputValidation-errorBorder, transparent); }
    .notice[data-severity='info'] { background: var(--vscode-inputValidation-infoBackground, var(--vscode-editorWidget-background)); }
    .message { flex: 1; }
    .notice > .codicon { color: var(--vscode-editorWarning-foreground, var(--vscode-foreground)); }
    .notice[data-severity='error'] > .codicon { color: var(--vscode-errorForeground); }
    .notice[data-severity='info'] > .codicon { color: var(--vscode-notificationsInfoIcon-foreground, var(--vscode-foreground)); }
  `];

  @property({ attribute: false }) host: HostInfo | undefined;
  @property({ attribute: false }) requestError: string | undefined;

  override render() {
    const notices: HostNotice[] = [];
    // The host may already send its own untrusted-workspace notice: show one banner, not two.
    const hostSaysUntrusted = this.host?.notices.some((n) => n.action?.action === 'trustWorkspace') ?? false;
    if (this.host && !this.host.workspaceTrusted && !hostSaysUntrusted) {
      notices.push({
        id: 'untrusted', severity: 'warning',
        message: `Workspace not trusted: ${this.host.untrustedReason ?? 'commands, workspace MCP servers and skills are off'}.`,
        action: { label: 'Trust workspace…', action: 'trustWorkspace' },
      });
    }
    notices.push(...(this.host?.notices ?? []));
    return html`
      ${notices.map((n) => html`
        <div class="notice" role=${n.severity === 'error' ? 'alert' : 'status'} data-severity=${n.severity} data-notice=${n.id}>
          ${icon(SEVERITY_ICON[n.severity])}<span class="message">${n.message}</span>
          ${n.action ? this.renderAction(n.action) : nothing}
        </div>`)}
      ${this.requestError ? html`<div class="notice" role="alert" data-severity="error">${icon('error')}<span class="message">${this.requestError}</span>
        <button class="icon" aria-label="Dismiss" title="Dismiss" @click=${() => emit(this, 'as-dismiss-error', {})}>${icon('close')}</button></div>` : nothing}`;
  }

  private renderAction(action: NonNullable<HostNotice['action']>) {
    const detail = { action: action.action, ...(action.providerId ? { providerId: action.providerId } : {}) };
    return html`<button @click=${() => emit(this, 'as-host-action', detail)}>${action.label}</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-banner': AsBanner }
}
