/**
 * An MCP server's question, shown like an approval: elicitation renders the requested schema as
 * a form (Accept / Decline / Cancel), sampling shows what the server wants the model to answer
 * (Approve / Decline). Once answered, the card shows the answer. Posts `questions.answer`.
 */
import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PendingQuestion, QuestionAnswer } from '../../../../src/shared/knowledge-types';
import { icon } from '../../codicons';
import { hostClientContext, type HostClient } from '../../host-client';
import { baseStyles } from '../../styles';
import { formFields, typedContent, type FormField, type RawValues } from './elicit-form';

@customElement('as-question-card')
export class AsQuestionCard extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; margin-top: 6px; }
    .card { border: 1px solid var(--vscode-editorWarning-foreground, var(--vscode-widget-border, transparent)); border-radius: 3px; padding: 6px; }
    .card.answered { border-color: var(--vscode-widget-border, var(--vscode-panel-border, transparent)); }
    .head { display: flex; gap: 6px; align-items: center; font-weight: 600; }
    .message { white-space: pre-wrap; margin: 4px 0; }
    .field { display: flex; flex-direction: column; gap: 2px; margin: 6px 0; }
    .field .desc { font-size: 0.9em; }
    .req { color: var(--vscode-errorForeground); }
    input:not([type='checkbox']), select { font: inherit; color: var(--vscode-input-foreground); background: var(--vscode-input-background);
      border: 1px solid var(--vscode-input-border, transparent); padding: 2px 4px; }
    .choices label { display: inline-flex; gap: 4px; margin-inline-end: 10px; }
    .actions { display: flex; gap: 6px; margin-top: 6px; }
    pre { white-space: pre-wrap; word-break: break-word; margin: 4px 0; max-height: 200px; overflow: auto;
      font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background, transparent); padding: 4px; }
    .error { color: var(--vscode-errorForeground); }
  `];

  @property({ attribute: false }) question!: PendingQuestion;
  @property({ attribute: false }) answer?: QuestionAnswer;
  @consume({ context: hostClientContext, subscribe: true }) private client?: HostClient;
  @state() private problem?: string;
  @state() private sending = false;

  override render() {
    const q = this.question;
    const title = q.kind === 'sampling' ? `${q.server} asks to use the model` : `${q.server} asks`;
    return html`<div class="card ${this.answer ? 'answered' : ''}" role="group" aria-label="Question from ${q.server}">
      <div class="head">${icon(q.kind === 'sampling' ? 'lightbulb' : 'comment-discussion', { small: true })}<span>${title}</span></div>
      ${q.kind === 'sampling' ? this.renderSampling(q) : html`<div class="message">${q.message}</div>`}
      ${this.answer ? html`<div class="muted" data-answer>${answerText(q, this.answer)}</div>` : q.kind === 'sampling' ? this.samplingActions() : this.renderForm(q)}
      ${this.problem ? html`<div class="error" role="alert">${this.problem}</div>` : nothing}
    </div>`;
  }

  private renderSampling(q: PendingQuestion) {
    const s = q.sampling;
    if (!s) return html`<div class="message">${q.message}</div>`;
    return html`
      ${s.systemPrompt ? html`<div class="muted">System prompt</div><pre>${s.systemPrompt}</pre>` : nothing}
      ${s.messages.map((m) => html`<div class="muted">${m.role === 'user' ? 'User' : 'Assistant'}</div><pre>${m.text}</pre>`)}
      <div class="muted">Up to ${s.maxTokens} tokens, on this session's model (counted in its cost).</div>`;
  }

  private samplingActions() {
    return html`<div class="actions">
      <button ?disabled=${this.sending} @click=${() => this.send('accept')}>Approve</button>
      <button class="secondary" ?disabled=${this.sending} @click=${() => this.send('decline')}>Decline</button>
    </div>`;
  }

  private renderForm(q: PendingQuestion) {
    const fields = formFields(q.schema);
    return html`<form novalidate @submit=${(e: Event) => { e.preventDefault(); this.submit(fields); }}>
      ${fields.map((f) => this.renderField(f))}
      <div class="actions">
        <button type="submit" ?disabled=${this.sending}>Accept</button>
        <button type="button" class="secondary" ?disabled=${this.sending} @click=${() => this.send('decline')}>Decline</button>
        <button type="button" class="secondary" ?disabled=${this.sending} @click=${() => this.send('cancel')}>Cancel</button>
      </div>
    </form>`;
  }

  private renderField(f: FormField) {
    const id = `f-${f.name}`;
    const label = html`${f.label}${f.required ? html`<span class="req" aria-hidden="true"> *</span>` : nothing}`;
    const desc = f.description ? html`<span class="desc muted">${f.description}</span>` : nothing;
    switch (f.kind) {
      case 'boolean':
        return html`<div class="field"><label><input type="checkbox" id=${id} name=${f.name} ?checked=${f.default === true}> ${label}</label>${desc}</div>`;
      case 'select':
        return html`<div class="field"><label for=${id}>${label}</label>${desc}
          <select id=${id} name=${f.name} ?required=${f.required}>
            ${f.required && f.default === undefined ? nothing : html`<option value="" ?selected=${f.default === undefined}></option>`}
            ${f.options?.map((o) => html`<option value=${o.value} ?selected=${f.default === o.value}>${o.label}</option>`)}
          </select></div>`;
      case 'multi': {
        const chosen = Array.isArray(f.default) ? f.default : [];
        return html`<fieldset class="field choices" name=${f.name}><legend>${label}</legend>${desc}
          <div>${f.options?.map((o) => html`<label><input type="checkbox" name=${f.name} value=${o.value} ?checked=${chosen.includes(o.value)}>${o.label}</label>`)}</div></fieldset>`;
      }
      default: {
        const type = f.kind === 'text' ? f.inputType ?? 'text' : 'number';
        const value = f.default === undefined ? '' : String(f.default);
        return html`<div class="field"><label for=${id}>${label}</label>${desc}
          <input id=${id} name=${f.name} type=${type} .value=${value} ?required=${f.required}
            step=${f.kind === 'integer' ? '1' : f.kind === 'number' ? 'any' : nothing} min=${f.min ?? nothing} max=${f.max ?? nothing}></div>`;
      }
    }
  }

  private read(fields: readonly FormField[]): RawValues {
    const raw: RawValues = {};
    for (const f of fields) {
      if (f.kind === 'multi') {
        raw[f.name] = [...this.renderRoot.querySelectorAll<HTMLInputElement>(`fieldset[name="${CSS.escape(f.name)}"] input:checked`)].map((i) => i.value);
      } else if (f.kind === 'boolean') {
        raw[f.name] = this.renderRoot.querySelector<HTMLInputElement>(`#${CSS.escape(`f-${f.name}`)}`)?.checked === true;
      } else {
        raw[f.name] = this.renderRoot.querySelector<HTMLInputElement | HTMLSelectElement>(`#${CSS.escape(`f-${f.name}`)}`)?.value ?? '';
      }
    }
    return raw;
  }

  private submit(fields: readonly FormField[]): void {
    const { content, problems } = typedContent(fields, this.read(fields));
    if (problems.length > 0) { this.problem = `${problems.join('; ')}.`; return; }
    void this.send('accept', content);
  }

  private async send(action: QuestionAnswer['action'], content?: QuestionAnswer['content']): Promise<void> {
    if (!this.client) return;
    this.sending = true;
    this.problem = undefined;
    try {
      await this.client.request('questions.answer', { sessionId: this.question.sessionId, questionId: this.question.id, action, ...(content ? { content } : {}) });
    } catch (err) {
      this.problem = err instanceof Error ? err.message : String(err);
    } finally {
      this.sending = false;
    }
  }
}

/** "Accepted: name: Ada, check: true", "Declined", "Cancelled (the call ended)", "Approved; the model answered: …". */
function answerText(q: PendingQuestion, a: QuestionAnswer): string {
  if (a.action === 'cancel') return a.by === 'system' ? 'Cancelled (the call or turn ended first)' : 'Cancelled';
  if (a.action === 'decline') return 'Declined';
  if (q.kind === 'sampling') return `Approved; the model answered: ${a.text ?? ''}`;
  const values = Object.entries(a.content ?? {}).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  return `Accepted${values.length > 0 ? `: ${values.join('; ')}` : ''}`;
}

declare global {
  interface HTMLElementTagNameMap { 'as-question-card': AsQuestionCard }
}
