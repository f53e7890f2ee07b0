/**
 * The action that fixes a failed turn, on its card in the transcript (the one place the error is
 * said): "Set API key" for a missing or refused key and a used-up quota, "Open settings" for a
 * model or server that cannot do what the request needs, and "Choose provider" — the session
 * switches to another profile for its next turn. Keys are typed into VS Code's own input box on
 * the host, never here.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { SerializedError } from '../../../../src/shared/errors';
import type { HostActionId } from '../../../../src/shared/protocol';
import { emit } from '../../events';
import { baseStyles } from '../../styles';
import { StoreController } from '../../state/store-controller';

/** The host action a failed turn's card offers for an error code, if any. */
export function fixFor(code: SerializedError['code']): { label: string; action: HostActionId } | undefined {
  switch (code) {
    case 'auth': return { label: 'Set API key', action: 'setApiKey' };
    case 'quota_exceeded': return { label: 'Use another API key', action: 'setApiKey' };
    case 'unsupported': return { label: 'Open settings', action: 'openSettings' };
    default: return undefined;
  }
}

@customElement('as-error-actions')
export class AsErrorActions extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-top: 4px; }
    select { max-width: 16em; }
  `];

  @property({ attribute: false }) error!: SerializedError;
  @property() sessionId = '';
  private readonly store = new StoreController(this, (c) => c.type === 'list' || c.type === 'host' || (c.type === 'session' && c.sessionId === this.sessionId));

  override render() {
    const fix = this.error ? fixFor(this.error.code) : undefined;
    if (!fix) return nothing;
    const store = this.store.value;
    const providerId = store?.get(this.sessionId)?.providerId;
    const others = (store?.providers ?? []).filter((p) => p.id !== providerId);
    return html`
      <button data-fix=${fix.action} @click=${() => emit(this, 'as-host-action', { action: fix.action, ...(providerId ? { providerId } : {}), sessionId: this.sessionId })}>${fix.label}</button>
      ${others.length > 0 ? html`<select aria-label="Choose provider" data-choose-provider @change=${(e: Event) => {
        const select = e.target as HTMLSelectElement;
        if (select.value) emit(this, 'as-config', { sessionId: this.sessionId, patch: { providerId: select.value } });
        select.value = '';
      }}>
        <option value="" selected>Choose provider…</option>
        ${others.map((p) => html`<option value=${p.id}>${p.label}${p.requiresKey && !p.hasKey ? ' (no key)' : ''}</option>`)}
      </select>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-error-actions': AsErrorActions }
}
