/**
 * "Agent" in the new-session form: the default, or a custom agent of the workspace or the user
 * (`.github/agents/*.agent.md`, `.claude/agents/*.md`), asked of the host (`agents.list`) when the
 * form opens. `value` is the chosen agent's name ('' = default). Renders nothing while there are
 * none. `display: contents`, so its label and select sit in the form's grid.
 */
import { ContextConsumer } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { CustomAgentInfo } from '../../../../src/shared/knowledge-types';
import { hostClientContext } from '../../host-client';
import { baseStyles } from '../../styles';

/** The option text: "name — description" (the description cut to fit a select). */
export function agentLabel(a: CustomAgentInfo): string {
  const d = a.description.length > 80 ? `${a.description.slice(0, 79)}…` : a.description;
  return d ? `${a.name} — ${d}` : a.name;
}

@customElement('as-agent-picker')
export class AsAgentPicker extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: contents; }
    .hint { grid-column: 1 / -1; }
  `];

  @state() private agents: CustomAgentInfo[] = [];
  @state() value = '';
  private readonly client = new ContextConsumer(this, { context: hostClientContext });

  override connectedCallback(): void {
    super.connectedCallback();
    this.value = '';
    this.client.value?.request('agents.list', {}).then(({ agents }) => { this.agents = agents; }, () => { this.agents = []; });
  }

  override render() {
    if (this.agents.length === 0) return nothing;
    const chosen = this.agents.find((a) => a.name === this.value);
    const unknown = chosen?.unknownTools?.filter((n) => !n.startsWith('!')) ?? [];
    return html`
      <label for="agent">Agent</label>
      <select id="agent" .value=${this.value} @change=${(e: Event) => { this.value = (e.target as HTMLSelectElement).value; }}>
        <option value="" .selected=${this.value === ''}>Default</option>
        ${this.agents.map((a) => html`<option value=${a.name} .selected=${a.name === this.value}
          title=${`${a.source}${a.tools ? ` · tools: ${a.tools.join(', ') || 'none'}` : ''}${a.model ? ` · model: ${a.model}` : ''}`}>${agentLabel(a)}</option>`)}
      </select>
      ${chosen ? html`<span class="hint">${chosen.source}${chosen.tools ? ` · tools: ${chosen.tools.join(', ') || 'none'}` : ' · all tools'}${unknown.length > 0 ? ` · not available here: ${unknown.join(', ')}` : ''}</span>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-agent-picker': AsAgentPicker }
}
