/**
 * The per-session Context panel: rules files and skills the session's prompt is built from and
 * the MCP servers whose tools it sees, each with a switch that turns it off for this session
 * only (an `as-config` patch → sessions.updateConfig), plus MCP status and the global server
 * actions (restart / enable / disable / allow). Switches are native checkboxes with
 * role="switch", so they are keyboard reachable and announced with their names. On top, the
 * workspace permission rules: allow rules from the workspace settings wait here for the user
 * ("Allow these rules" / "Ignore"), rules saved for this workspace can be removed.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { ConfigPatch, McpActionId, McpServerInfo, SkillDiagnosticInfo, WorkspaceRulesInfo } from '../../../../src/shared/protocol';
import type { KnowledgeRulesFile, KnowledgeSkill, SessionConfig } from '../../../../src/shared/session';
import { icon } from '../../codicons';
import { emit } from '../../events';
import { hostClientContext, type HostClient } from '../../host-client';
import { baseStyles } from '../../styles';
import { StoreController, sessionChanges } from '../../state/store-controller';
import type { SessionView } from '../../state/types';
import { KnowledgeController } from './knowledge-controller';
import './as-tool-costs';
import { describeMcpStatus, formatBytes, mcpActionsFor, showWorkspaceRules, skillEnabled, workspaceRulesStateText } from './knowledge-format';
import { rulesBudgetText, ruleWhenText } from './rules-format';

@customElement('as-knowledge-panel')
export class AsKnowledgePanel extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; padding: 6px 8px; max-height: 45vh; overflow: auto; border-bottom: 1px solid var(--vscode-widget-border, transparent);
      background: var(--vscode-editorWidget-background, transparent); }
    h3 { font-size: 1em; margin: 8px 0 4px; display: flex; gap: 6px; align-items: center; }
    h3:first-of-type { margin-top: 0; }
    ul { list-style: none; margin: 0; padding: 0; }
    li { padding: 3px 0; border-bottom: 1px solid var(--vscode-widget-border, transparent); }
    .line { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
    .name { font-weight: 600; }
    .path { font-family: var(--vscode-editor-font-family); overflow-wrap: anywhere; }
    .off .name, .off .path { text-decoration: line-through; color: var(--vscode-disabledForeground, var(--vscode-descriptionForeground)); }
    .warn { color: var(--vscode-editorWarning-foreground); }
    .status[data-state='connected'] { color: var(--vscode-charts-green, var(--vscode-foreground)); }
    .status[data-state='failed'] { color: var(--vscode-errorForeground); }
    .status[data-state='blocked'] { color: var(--vscode-editorWarning-foreground); }
    pre { margin: 2px 0; white-space: pre-wrap; max-height: 8em; overflow: auto; font-family: var(--vscode-editor-font-family);
      background: var(--vscode-textCodeBlock-background, transparent); }
    .spacer { flex: 1; }
  `];

  /** The session whose context is shown; its title, config and knowledge are followed through the store. */
  @property() sessionId = '';
  @consume({ context: hostClientContext }) private client!: HostClient;
  private readonly ctrl = new KnowledgeController(this, () => this.client);
  private readonly store = new StoreController(this, sessionChanges(() => this.sessionId, () => {
    const v = this.view;
    return [v?.title, v?.snapshot?.config, v?.snapshot?.knowledge];
  }));

  override updated(): void {
    if (this.sessionId) this.ctrl.load(this.sessionId);
  }

  private get view(): SessionView | undefined {
    return this.store.value?.get(this.sessionId);
  }

  private get config(): SessionConfig | undefined { return this.view?.snapshot?.config; }

  override render() {
    const view = this.view;
    if (!view) return nothing;
    const d = this.ctrl.data;
    const knowledge = d.knowledge ?? view.snapshot?.knowledge;
    const rules = knowledge?.rules ?? [];
    const skills = knowledge?.skills ?? [];
    const servers = d.mcp?.servers ?? [];
    const listedPaths = new Set(skills.map((s) => s.path));
    const loose = d.diagnostics.filter((x) => !listedPaths.has(x.path));
    return html`
      ${showWorkspaceRules(d.rules) ? this.renderWorkspaceRules(d.rules, d.rulesError) : nothing}
      <section aria-label="Context of ${view.title}">
        <h3>Rules files (${rules.length}) <span class="spacer"></span>
          ${d.loading ? html`<span class="muted" role="status">Loading…</span>` : nothing}
          <button class="icon" aria-label="Reload context" title="Reload" @click=${() => this.ctrl.load(view.id, true)}>${icon('refresh')}</button>
        </h3>
        ${d.error ? html`<div class="error" role="alert">${d.error}</div>` : nothing}
        ${rules.length === 0 ? html`<div class="muted">No rules files (AGENTS.md, CLAUDE.md, .github/copilot-instructions.md, .clinerules, .cursor/rules).</div>`
          : html`<ul aria-label="Rules files">${rules.map((r) => this.renderRule(r))}</ul>`}
        ${rulesBudgetText(knowledge) ? html`<div class="muted" data-rules-budget>${rulesBudgetText(knowledge)}</div>` : nothing}
        <h3>Skills (${skills.filter((s) => !s.shadowed).length})</h3>
        ${skills.length === 0 ? html`<div class="muted">No skills (.agents/skills, .claude/skills, .github/skills or the user skills folder).</div>`
          : html`<ul aria-label="Skills">${skills.map((s) => this.renderSkill(s, skills, d.diagnostics))}</ul>`}
        ${knowledge?.skillsIndex ? html`<div class="muted" data-skills-index>Skills index: ${knowledge.skillsIndex.chars} of ${knowledge.skillsIndex.budget} characters${knowledge.skillsIndex.omitted.length > 0 ? `, ${knowledge.skillsIndex.omitted.length} left out` : ''}.</div>` : nothing}
        ${loose.length > 0 ? html`<ul aria-label="Skill problems">${loose.map((x) => html`<li>${this.renderDiagnostic(x, true)}</li>`)}</ul>` : nothing}
        <h3>MCP servers (${servers.length})</h3>
        ${servers.length === 0 ? html`<div class="muted">No MCP servers (.vscode/mcp.json, .mcp.json or the agentSessions.mcpServers setting).</div>`
          : html`<ul aria-label="MCP servers">${servers.map((s) => this.renderServer(s))}</ul>`}
        ${(d.mcp?.problems ?? []).length > 0 ? html`<ul aria-label="MCP configuration problems">
          ${d.mcp!.problems.map((p) => html`<li class="warn">${p.source}${p.server ? ` (${p.server})` : ''}: ${p.message}</li>`)}</ul>` : nothing}
        <h3>Tool definitions</h3>
        <as-tool-costs .info=${knowledge?.tools} .disabledTools=${this.config?.disabledTools ?? []} sessionId=${view.id} ?readonly=${!this.config}></as-tool-costs>
        ${knowledge?.memory ? html`<h3>Memory</h3><div class="line" data-memory><span class="path">${knowledge.memory.path}</span>
          <span class="muted">${knowledge.memory.included} of ${knowledge.memory.entries} entries in the context</span>
          <button class="secondary" @click=${() => { void this.client.request('memory.open', {}).catch(() => undefined); }}>Open</button></div>` : nothing}
      </section>`;
  }

  private renderWorkspaceRules(r: WorkspaceRulesInfo, error: string | undefined) {
    const decide = (decision: 'allow' | 'ignore') => () => this.ctrl.decideRules(decision);
    return html`
      <section aria-label="Workspace permission rules">
        <h3>Workspace permission rules</h3>
        ${r.workspaceTrusted ? nothing : html`<div class="warn">Restricted Mode: the workspace's permission rules, its rules files (AGENTS.md, CLAUDE.md, .cursor/rules …), skills and MCP servers are off. Trust the workspace to use them.</div>`}
        ${r.suggested.length === 0 ? nothing : html`
          <div class=${r.state === 'pending' ? 'warn' : 'muted'} data-state=${r.state}>${workspaceRulesStateText(r.state)}</div>
          <ul aria-label="Suggested allow rules">${r.suggested.map((p) => html`<li class="path">allow ${p}</li>`)}</ul>
          <div class="line">
            ${r.state === 'allowed' ? html`<button class="secondary" @click=${decide('ignore')}>Stop allowing</button>`
              : html`<button @click=${decide('allow')}>Allow these rules</button>
                ${r.state === 'pending' ? html`<button class="secondary" @click=${decide('ignore')}>Ignore</button>` : nothing}`}
          </div>`}
        ${r.restricting.length === 0 ? nothing : html`
          <div class="muted">Also in the workspace settings, applied as they are (they only restrict):</div>
          <ul aria-label="Restricting rules">${r.restricting.map((x) => html`<li class="path">${x.action} ${x.pattern}</li>`)}</ul>`}
        ${r.saved.length === 0 ? nothing : html`
          <div class="muted">Saved with "Always allow" for this workspace (kept by the extension, not in a workspace file):</div>
          <ul aria-label="Rules saved for this workspace">${r.saved.map((x) => html`
            <li class="line"><span class="path">${x.action} ${x.pattern}</span><span class="spacer"></span>
              <button class="secondary" aria-label="Remove saved rule ${x.action} ${x.pattern}" @click=${() => this.ctrl.forgetRule(x.action, x.pattern)}>Remove</button></li>`)}</ul>`}
        ${error ? html`<div class="error" role="alert">${error}</div>` : nothing}
      </section>`;
  }

  private renderRule(r: KnowledgeRulesFile) {
    // The session's config is authoritative (the listing's flag is as of its last load).
    const on = this.config ? !(this.config.disabledRuleIds ?? []).includes(r.id) : r.enabled;
    return html`
      <li class=${on ? '' : 'off'} data-rule-id=${r.id}>
        <div class="line">
          <input type="checkbox" role="switch" .checked=${on} ?disabled=${!this.config} aria-label="Use rules file ${r.relativePath} in this session"
            @change=${(e: Event) => this.toggleRule(r.id, (e.target as HTMLInputElement).checked)}>
          <span class="path name">${r.relativePath}</span>
          <span class="muted">${formatBytes(r.size)}${r.scope ? ` · applies to ${r.scope}/` : ''}</span>
        </div>
        ${r.truncated ? html`<div class="warn">Truncated: only the first ${r.chars.toLocaleString()} characters are sent to the model.</div>` : nothing}
        <div class="muted" data-rule-when>${ruleWhenText(r)}</div>
      </li>`;
  }

  private renderSkill(s: KnowledgeSkill, all: KnowledgeSkill[], diagnostics: SkillDiagnosticInfo[]) {
    const on = skillEnabled(s, this.config?.skillOverrides);
    const winner = s.shadowed ? all.find((o) => o.name === s.name && !o.shadowed) : undefined;
    const mine = diagnostics.filter((x) => x.path === s.path);
    return html`
      <li class=${on && !s.shadowed ? '' : 'off'} data-skill=${s.name} data-source=${s.source}>
        <div class="line">
          ${s.shadowed ? nothing : html`<input type="checkbox" role="switch" .checked=${on} ?disabled=${!this.config}
            aria-label="Use skill ${s.name} in this session" @change=${(e: Event) => this.toggleSkill(s.name, (e.target as HTMLInputElement).checked)}>`}
          <span class="name">${s.name}</span>
          <span class="muted">${s.source}${s.linked ? ' · linked' : ''}${s.folder ? ` · folder ${s.folder}` : ''}</span>
        </div>
        ${s.notIndexed ? html`<div class="muted">Not in the skills index (over its budget); the model can still load it by name.</div>` : nothing}
        <div>${s.description}</div>
        <div class="muted path">${s.path}</div>
        ${s.shadowed ? html`<div class="warn">Shadowed by the ${winner?.source ?? 'other'} skill of the same name${winner ? ` (${winner.path})` : ''}.</div>` : nothing}
        ${mine.map((x) => this.renderDiagnostic(x, false))}
      </li>`;
  }

  private renderDiagnostic(x: SkillDiagnosticInfo, withPath: boolean) {
    return html`<div class=${x.severity === 'error' ? 'error' : 'warn'}>${x.severity}: ${x.message}${withPath && x.path ? html` <span class="path muted">${x.path}</span>` : nothing}</div>`;
  }

  private renderServer(s: McpServerInfo) {
    const on = !(this.config?.disabledMcpServers ?? []).includes(s.name);
    const st = s.status;
    return html`
      <li class=${on ? '' : 'off'} data-server=${s.name}>
        <div class="line">
          <input type="checkbox" role="switch" .checked=${on} ?disabled=${!this.config} aria-label="Use MCP server ${s.name} in this session"
            @change=${(e: Event) => this.toggleServer(s.name, (e.target as HTMLInputElement).checked)}>
          <span class="name">${s.name}</span>
          <span class="status" data-state=${st.state}>${describeMcpStatus(st)}</span>
          <span class="muted">${s.type} · ${s.sourceLabel}</span>
          <span class="spacer"></span>
          ${mcpActionsFor(st).map((a) => html`<button class="secondary" aria-label="${a.label} MCP server ${s.name}" title=${a.title}
            @click=${() => this.mcpAction(s.name, a.id)}>${a.label}</button>`)}
        </div>
        ${st.state === 'failed' ? html`<div class="error">${st.error.message}</div>
          ${st.stderrTail.length > 0 ? html`<pre aria-label="Last stderr lines of ${s.name}">${st.stderrTail.slice(-10).join('\n')}</pre>` : nothing}` : nothing}
        ${st.state === 'blocked' ? html`<div class="warn">${st.message}</div>` : nothing}
        ${st.state === 'connected' && s.tools.length > 0 ? html`<div class="muted path">${s.tools.join(', ')}</div>` : nothing}
      </li>`;
  }

  private patch(patch: ConfigPatch): void {
    emit(this, 'as-config', { sessionId: this.sessionId, patch });
  }

  private toggleRule(id: string, on: boolean): void {
    const current = this.config?.disabledRuleIds ?? [];
    this.patch({ disabledRuleIds: on ? current.filter((x) => x !== id) : [...new Set([...current, id])] });
  }

  private toggleSkill(name: string, on: boolean): void {
    this.patch({ skillOverrides: { ...(this.config?.skillOverrides ?? {}), [name]: on } });
  }

  private toggleServer(name: string, on: boolean): void {
    const current = this.config?.disabledMcpServers ?? [];
    this.patch({ disabledMcpServers: on ? current.filter((x) => x !== name) : [...new Set([...current, name])] });
  }

  private mcpAction(name: string, action: McpActionId): void {
    this.client.request('mcp.action', { name, action }).catch((err: unknown) => {
      this.ctrl.data = { ...this.ctrl.data, error: err instanceof Error ? err.message : String(err) };
      this.requestUpdate();
    });
  }
}

declare global {
  interface HTMLElementTagNameMap { 'as-knowledge-panel': AsKnowledgePanel }
}
