/**
 * The slash-command menu of MCP server prompts: typing `/` in the composer lists
 * `/mcp.<server>.<prompt>` entries (mcp.prompts), narrowed as the user types; choosing one asks
 * for its arguments in a small inline form, then fetches the prompt's text (mcp.prompt) and hands
 * it to the composer (`choose`). Shows nothing when no server offers prompts.
 */
import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { McpPromptInfo } from '../../../../src/shared/protocol';
import { hostClientContext, type HostClient } from '../../host-client';
import { baseStyles } from '../../styles';

/** The command a prompt is offered as. */
export function promptCommand(p: Pick<McpPromptInfo, 'server' | 'name'>): string {
  return `mcp.${p.server}.${p.name}`;
}

@customElement('as-prompt-menu')
export class AsPromptMenu extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; margin-bottom: 4px; }
    .menu { border: 1px solid var(--vscode-widget-border, transparent); background: var(--vscode-editorWidget-background); max-height: 30vh; overflow: auto; }
    .item { display: flex; gap: 8px; width: 100%; text-align: start; justify-content: flex-start; background: transparent; color: var(--vscode-foreground); }
    .item:hover, .item:focus { background: var(--vscode-list-hoverBackground); }
    .cmd { font-family: var(--vscode-editor-font-family); }
    form { padding: 4px 6px; display: flex; flex-direction: column; gap: 4px; }
    input { font: inherit; color: var(--vscode-input-foreground); background: var(--vscode-input-background); border: 1px solid var(--vscode-input-border, transparent); }
    .req { color: var(--vscode-errorForeground); }
    .error { color: var(--vscode-errorForeground); padding: 2px 6px; }
  `];

  @property() sessionId = '';
  /** What the user typed after `/`. */
  @property() query = '';
  /** Receives the prompt's text. */
  @property({ attribute: false }) choose?: (text: string) => void;
  @consume({ context: hostClientContext, subscribe: true }) private client?: HostClient;
  @state() private prompts?: McpPromptInfo[];
  @state() private picked?: McpPromptInfo;
  @state() private error?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.prompts = (await this.client?.request('mcp.prompts', { sessionId: this.sessionId }))?.prompts ?? [];
    } catch (err) {
      this.prompts = [];
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  private get shown(): McpPromptInfo[] {
    const q = this.query.toLowerCase();
    return (this.prompts ?? []).filter((p) => promptCommand(p).toLowerCase().includes(q));
  }

  override render() {
    if (this.picked) return this.renderArgs(this.picked);
    const matches = this.shown;
    if (matches.length === 0) return this.error ? html`<div class="error" role="alert">${this.error}</div>` : nothing;
    return html`<div class="menu" role="listbox" aria-label="MCP prompts">
      ${matches.map((p) => html`<button class="item" role="option" aria-selected="false" @click=${() => this.pick(p)}>
        <span class="cmd">/${promptCommand(p)}</span><span class="muted">${p.title ?? p.description ?? ''}</span></button>`)}
    </div>${this.error ? html`<div class="error" role="alert">${this.error}</div>` : nothing}`;
  }

  private renderArgs(p: McpPromptInfo) {
    return html`<form novalidate class="menu" aria-label="Arguments of /${promptCommand(p)}" @submit=${(e: Event) => { e.preventDefault(); void this.fetchText(p); }}>
      <strong class="cmd">/${promptCommand(p)}</strong>${p.description ? html`<span class="muted">${p.description}</span>` : nothing}
      ${p.arguments.map((a) => html`<label>${a.name}${a.required ? html`<span class="req" aria-hidden="true"> *</span>` : nothing}
        <input name=${a.name} aria-label=${a.name} ?required=${a.required} placeholder=${a.description ?? ''}></label>`)}
      <span><button type="submit">Insert</button> <button type="button" class="secondary" @click=${() => { this.picked = undefined; }}>Back</button></span>
      ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : nothing}
    </form>`;
  }

  /** Enter in the composer: submits the open form, else picks the first match. False when there is nothing to pick. */
  pickFirst(): boolean {
    if (this.picked) { void this.fetchText(this.picked); return true; }
    const first = this.shown[0];
    if (!first) return false;
    this.pick(first);
    return true;
  }

  private pick(p: McpPromptInfo): void {
    this.error = undefined;
    if (p.arguments.length === 0) void this.fetchText(p);
    else this.picked = p;
  }

  private async fetchText(p: McpPromptInfo): Promise<void> {
    const args: Record<string, string> = {};
    for (const input of this.renderRoot.querySelectorAll<HTMLInputElement>('form input')) if (input.value.trim()) args[input.name] = input.value;
    const missing = p.arguments.filter((a) => a.required && !args[a.name]).map((a) => a.name);
    if (missing.length > 0) { this.error = `Required: ${missing.join(', ')}.`; return; }
    try {
      const result = await this.client?.request('mcp.prompt', { sessionId: this.sessionId, server: p.server, name: p.name, args });
      if (result) this.choose?.(result.text);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-prompt-menu': AsPromptMenu }
}
