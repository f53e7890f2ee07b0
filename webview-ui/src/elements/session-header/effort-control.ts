/**
 * The header's reasoning control next to the model: OpenAI-kind sessions choose a reasoning effort
 * (`reasoningEffort`; "Default" clears it, so the server decides), Anthropic sessions a thinking
 * budget (`thinking`; "No thinking" clears it). Shown for models that reason or whose capabilities
 * are unknown (and always while a value is set, so it can be turned off); never for vscode-lm.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { REASONING_EFFORTS } from '../../../../src/shared/model';
import type { ConfigPatch } from '../../../../src/shared/protocol';
import type { SessionConfig } from '../../../../src/shared/session';

/** Thinking budgets offered (tokens); a session's own other budget is offered too. */
export const THINKING_BUDGETS = [4_096, 16_384, 32_768] as const;

/** 16384 → "16k". */
const k = (n: number): string => `${Math.round(n / 1024)}k`;

/**
 * The effort or budget select for `config`, or nothing. `reasons`: the model's reasoning
 * capability (undefined = unknown). `onPatch` gets the config change to send.
 */
export function renderEffortControl(config: SessionConfig | undefined, reasons: boolean | undefined, disabled: boolean,
  onPatch: (patch: ConfigPatch) => void): TemplateResult | typeof nothing {
  if (!config || config.providerKind === 'vscode-lm') return nothing;
  if (config.providerKind === 'anthropic') {
    const budget = config.thinking?.budgetTokens;
    if (reasons === false && budget === undefined) return nothing;
    const budgets = budget !== undefined && !(THINKING_BUDGETS as readonly number[]).includes(budget) ? [...THINKING_BUDGETS, budget].sort((a, b) => a - b) : THINKING_BUDGETS;
    return html`<select aria-label="Thinking budget" data-thinking ?disabled=${disabled}
      title="Extended thinking: how many tokens the model may think before it answers (billed as output)"
      @change=${(e: Event) => {
        const v = Number((e.target as HTMLSelectElement).value);
        onPatch({ thinking: v > 0 ? { budgetTokens: v } : null });
      }}>
      <option value="0" .selected=${live(budget === undefined)}>No thinking</option>
      ${budgets.map((b) => html`<option value=${String(b)} .selected=${live(b === budget)}>Think ${k(b)}</option>`)}
    </select>`;
  }
  const effort = config.reasoningEffort;
  if (reasons === false && effort === undefined) return nothing;
  return html`<select aria-label="Reasoning effort" data-effort ?disabled=${disabled}
    title="Reasoning effort: how long a reasoning model thinks before it answers (Default: the server decides)"
    @change=${(e: Event) => {
      const v = (e.target as HTMLSelectElement).value;
      const chosen = REASONING_EFFORTS.find((x) => x === v);
      onPatch({ reasoningEffort: chosen ?? null });
    }}>
    <option value="" .selected=${live(effort === undefined)}>Default effort</option>
    ${REASONING_EFFORTS.map((x) => html`<option value=${x} .selected=${live(x === effort)}>Effort: ${x}</option>`)}
  </select>`;
}
