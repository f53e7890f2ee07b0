/**
 * The Context panel's tool table: what the tool definitions cost on every request. Per group
 * (built-in tools, then each MCP server) its tokens and its tools, each with its cost, a switch
 * that turns it off for this session (an `as-config` patch { disabledTools } → sessions.updateConfig),
 * and marks: "loaded on demand" (deferred behind search_tools: sent only after the model loads it),
 * "loaded", and a broken input schema. On top: tokens sent vs all, and the budget, with a warning
 * when the MCP definitions sent are past it.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ToolBudgetInfo, ToolCost } from '../../../../src/shared/knowledge-types';
import { emit } from '../../events';
import { baseStyles } from '../../styles';

/** One group of the table: built-ins (server undefined) or one MCP server. */
export interface ToolGroup {
  server?: string;
  tokens: number;
  tools: ToolCost[];
}

/** Tools grouped by server in listing order (built-ins first), each group's enabled tools' tokens summed. */
export function groupTools(tools: readonly ToolCost[]): ToolGroup[] {
  const groups = new Map<string, ToolGroup>();
  groups.set('', { tokens: 0, tools: [] });
  for (const t of tools) {
    const key = t.server ?? '';
    let g = groups.get(key);
    if (!g) { g = { server: key, tokens: 0, tools: [] }; groups.set(key, g); }
    g.tools.push(t);
    if (!t.disabled) g.tokens += t.tokens;
  }
  return [...groups.values()].filter((g) => g.tools.length > 0);
}

/** Tokens of the MCP definitions sent now (what the budget is about). */
export function mcpSentTokens(tools: readonly ToolCost[]): number {
  return tools.filter((t) => t.server !== undefined && !t.disabled && (!t.deferred || t.loaded)).reduce((n, t) => n + t.tokens, 0);
}

const tokens = (n: number): string => `${n.toLocaleString('en-US')} tokens`;

@customElement('as-tool-costs')
export class AsToolCosts extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    table { width: 100%; border-collapse: collapse; }
    th, td { text-align: left; padding: 2px 4px; border-bottom: 1px solid var(--vscode-widget-border, transparent); vertical-align: top; }
    th.group { padding-top: 6px; }
    td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
    .name { font-family: var(--vscode-editor-font-family); overflow-wrap: anywhere; }
    tr.off .name { text-decoration: line-through; color: var(--vscode-disabledForeground, var(--vscode-descriptionForeground)); }
    .mark { font-size: 0.9em; margin-left: 6px; color: var(--vscode-descriptionForeground); }
    .warn { color: var(--vscode-editorWarning-foreground); }
    .line { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
  `];

  /** The session's tool costs (SessionKnowledge.tools). */
  @property({ attribute: false }) info?: ToolBudgetInfo;
  /** The session's config.disabledTools (authoritative over the listing's flags). */
  @property({ attribute: false }) disabledTools: readonly string[] = [];
  @property() sessionId = '';
  /** No config yet: switches are shown but disabled. */
  @property({ type: Boolean }) readonly = false;

  override render() {
    const info = this.info;
    if (!info) return html`<div class="muted">Tool costs appear after the first request.</div>`;
    const off = new Set(this.disabledTools);
    const rows = info.tools.map((t) => ({ ...t, disabled: off.has(t.name) }));
    const mcpSent = mcpSentTokens(rows);
    return html`
      <div class="line" data-tool-totals>Sent with every request: ${tokens(info.sentTokens)} of ${tokens(info.allTokens)} · budget for MCP tools ${tokens(info.budget)}</div>
      ${mcpSent > info.budget ? html`<div class="warn" role="status" data-tool-warning>MCP tool definitions sent (${tokens(mcpSent)}) are over the budget of ${tokens(info.budget)}: switch off tools you do not need.</div>` : nothing}
      ${info.onDemand ? html`<div class="muted" data-on-demand>Large MCP tool sets are loaded on demand: their definitions are not sent until the model loads them with search_tools.</div>` : nothing}
      <table aria-label="Tool definitions">
        <thead><tr><th>Tool</th><th class="num">Tokens</th></tr></thead>
        ${groupTools(rows).map((g) => this.renderGroup(g))}
      </table>`;
  }

  private renderGroup(g: ToolGroup) {
    const label = g.server === undefined ? 'Built-in and engine tools' : `MCP server ${g.server}`;
    return html`<tbody aria-label=${label} data-group=${g.server ?? ''}>
      <tr><th class="group" scope="rowgroup">${label}</th><th class="num group" data-group-tokens>${tokens(g.tokens)}</th></tr>
      ${g.tools.map((t) => this.renderTool(t))}
    </tbody>`;
  }

  private renderTool(t: ToolCost) {
    const on = !t.disabled;
    return html`<tr class=${on ? '' : 'off'} data-tool=${t.name}>
      <td>
        <label class="line">
          <input type="checkbox" role="switch" .checked=${on} ?disabled=${this.readonly} aria-label="Use tool ${t.name} in this session"
            @change=${(e: Event) => this.toggle(t.name, (e.target as HTMLInputElement).checked)}>
          <span class="name">${t.name}</span>
          ${t.deferred && !t.loaded ? html`<span class="mark" data-mark="deferred">loaded on demand</span>` : nothing}
          ${t.loaded ? html`<span class="mark" data-mark="loaded">loaded on demand (loaded)</span>` : nothing}
        </label>
        ${t.schemaProblem ? html`<div class="warn">Invalid input schema: ${t.schemaProblem}. Every call fails until the server fixes it.</div>` : nothing}
      </td>
      <td class="num">${t.tokens.toLocaleString('en-US')}</td>
    </tr>`;
  }

  private toggle(name: string, on: boolean): void {
    const current = this.disabledTools;
    emit(this, 'as-config', { sessionId: this.sessionId, patch: { disabledTools: on ? current.filter((x) => x !== name) : [...new Set([...current, name])] } });
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-tool-costs': AsToolCosts }
}
