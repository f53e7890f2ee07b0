/**
 * The hooks that ran for a tool call (its card) or at a turn's edge (a transcript marker): the
 * event, what it did, the command, where it is configured, its message and how long it took.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { icon, type CodiconName } from '../../codicons';
import { baseStyles } from '../../styles';
import type { HookOutcome, HookRunInfo } from '../../../../src/shared/knowledge-types';

const OUTCOME: Record<HookOutcome, { text: string; icon: CodiconName; tone: 'ok' | 'warn' | 'bad' }> = {
  allow: { text: 'allowed', icon: 'check', tone: 'ok' },
  deny: { text: 'denied', icon: 'circle-slash', tone: 'bad' },
  ask: { text: 'asked for approval', icon: 'shield', tone: 'warn' },
  context: { text: 'added context', icon: 'info', tone: 'ok' },
  blocked: { text: 'blocked', icon: 'circle-slash', tone: 'bad' },
  ok: { text: 'ran', icon: 'check', tone: 'ok' },
  error: { text: 'failed', icon: 'error', tone: 'bad' },
  timeout: { text: 'timed out', icon: 'warning', tone: 'warn' },
  unapproved: { text: 'not run (not approved)', icon: 'lock', tone: 'warn' },
};

@customElement('as-hook-runs')
export class AsHookRuns extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; font-size: 0.9em; }
    ul { list-style: none; margin: 2px 0; padding: 0; }
    li { display: flex; flex-wrap: wrap; gap: 4px; align-items: baseline; }
    .outcome[data-tone='bad'] { color: var(--vscode-errorForeground); }
    .outcome[data-tone='warn'] { color: var(--vscode-editorWarning-foreground, var(--vscode-foreground)); }
    code { font-family: var(--vscode-editor-font-family); word-break: break-all; }
    .message { flex-basis: 100%; padding-inline-start: 18px; white-space: pre-wrap; }
  `];

  @property({ attribute: false }) runs: readonly HookRunInfo[] = [];

  override render() {
    if (this.runs.length === 0) return nothing;
    return html`<ul aria-label="Hooks">${this.runs.map((r) => {
      const o = OUTCOME[r.outcome] ?? { text: r.outcome, icon: 'info' as const, tone: 'ok' as const };
      return html`<li data-hook-outcome=${r.outcome}>
        ${icon(o.icon, { small: true })}
        <span>Hook ${r.hookEvent}</span>
        <span class="outcome" data-tone=${o.tone}>${o.text}</span>
        <code title=${r.source}>${r.command}</code>
        <span class="muted">(${r.source}${r.durationMs > 0 ? `, ${r.durationMs < 1000 ? `${r.durationMs} ms` : `${(r.durationMs / 1000).toFixed(1)} s`}` : ''})</span>
        ${r.message ? html`<span class="message muted">${r.message}</span>` : nothing}
      </li>`;
    })}</ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-hook-runs': AsHookRuns }
}
