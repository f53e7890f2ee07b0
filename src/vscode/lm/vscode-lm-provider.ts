/**
 * The `vscode-lm` provider: the user's Copilot models, or any chat model an extension contributes,
 * through VS Code's Language Model API (`vscode.lm.selectChatModels` → `sendRequest`). Thin: the
 * mapping is lm-messages.ts and the error vocabulary lm-errors.ts (both pure, tested in Node).
 *
 * - Consent: the first request of this extension makes VS Code ask the user (with our
 *   `justification`); a refusal is a `NoPermissions` error → `auth` with a hint.
 * - Cancellation: the request's AbortSignal cancels a CancellationTokenSource given to `sendRequest`.
 * - Usage is estimated with the model's own tokenizer (`countTokens`): input = the messages sent,
 *   output = the text and tool calls produced. The API reports no real usage.
 * - Cost: billed by the model's vendor (a Copilot plan, premium requests): the profile has no price.
 */
import * as vscode from 'vscode';
import { AgentError } from '../../core/base/errors';
import { withRetry } from '../../core/providers/retry';
import { DEFAULT_IDLE_TIMEOUT_MS } from '../../core/providers/watchdog';
import type { ModelProvider, ModelRequest, StreamEvent, StreamOptions } from '../../core/providers/types';
import { lmErrorToAgentError } from './lm-errors';
import { LmPartReader, toLmMessages, toLmTools, type LmFactory, type LmPart } from './lm-messages';
import { lmVendorLabel, LM_JUSTIFICATION, resolveLmModel } from './lm-models';

type Part = vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart | vscode.LanguageModelToolResultPart;

/** The real `vscode` constructors for the pure mapping. */
const factory: LmFactory<vscode.LanguageModelChatMessage, Part> = {
  user: (parts) => vscode.LanguageModelChatMessage.User(parts as Array<vscode.LanguageModelTextPart | vscode.LanguageModelToolResultPart>),
  assistant: (parts) => vscode.LanguageModelChatMessage.Assistant(parts as Array<vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart>),
  text: (value) => new vscode.LanguageModelTextPart(value),
  toolCall: (callId, name, input) => new vscode.LanguageModelToolCallPart(callId, name, input),
  toolResult: (callId, content) => new vscode.LanguageModelToolResultPart(callId, content),
};

function classify(part: unknown): LmPart {
  if (part instanceof vscode.LanguageModelTextPart) return { kind: 'text', value: part.value };
  if (part instanceof vscode.LanguageModelToolCallPart) return { kind: 'tool_call', callId: part.callId, name: part.name, input: part.input };
  return { kind: 'other' };
}

/** Sum of `countTokens` over `items`; undefined when the model cannot count. */
async function countAll(model: vscode.LanguageModelChat, items: ReadonlyArray<string | vscode.LanguageModelChatMessage>, token: vscode.CancellationToken): Promise<number | undefined> {
  try {
    let total = 0;
    for (const item of items) total += await model.countTokens(item, token);
    return total;
  } catch {
    return undefined;
  }
}

export class VsCodeLmProvider implements ModelProvider {
  readonly kind = 'vscode-lm' as const;

  stream(request: ModelRequest, options: StreamOptions = {}): AsyncIterable<StreamEvent> {
    return withRetry(() => this.attempt(request, options), request.signal, options);
  }

  private async *attempt(request: ModelRequest, options: StreamOptions): AsyncGenerator<StreamEvent> {
    const cts = new vscode.CancellationTokenSource();
    const onAbort = (): void => cts.cancel();
    request.signal.addEventListener('abort', onAbort, { once: true });
    if (request.signal.aborted) cts.cancel();
    const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    let stalled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => { stalled = true; cts.cancel(); }, idleMs);
    };
    let context: { vendorLabel?: string; model?: string } = { model: request.model };
    const fail = (e: unknown): AgentError => {
      if (stalled && !request.signal.aborted) {
        return new AgentError('network', `The language model sent nothing for ${Math.round(idleMs / 1000)} s.`, { cause: e, hint: 'Try again; if it keeps happening, pick another model.' });
      }
      return lmErrorToAgentError(e, context, request.signal.aborted);
    };
    try {
      const model = await resolveLmModel(request.model);
      context = { vendorLabel: lmVendorLabel(model.vendor), model: model.id };
      const supportsTools = (model as { capabilities?: { supportsToolCalling?: boolean } }).capabilities?.supportsToolCalling;
      if (request.tools.length > 0 && supportsTools === false) {
        throw new AgentError('unsupported', `"${model.name || model.id}" (${context.vendorLabel}) does not support tool calling, which agent sessions need.`, {
          hint: 'Pick a model that supports tools.',
        });
      }
      const messages = toLmMessages(request.system, request.messages, factory);
      const tools = toLmTools(request.tools);
      const response = await model.sendRequest(messages, {
        justification: LM_JUSTIFICATION,
        ...(tools.length > 0 ? { tools, toolMode: vscode.LanguageModelChatToolMode.Auto } : {}),
      }, cts.token);
      // Armed only now: until sendRequest resolves, VS Code may be showing its consent dialog.
      arm();
      const reader = new LmPartReader();
      const toolJson: string[] = [];
      for await (const part of response.stream) {
        arm();
        if (request.signal.aborted) break;
        for (const ev of reader.read(classify(part))) {
          if (ev.type === 'tool_call_end') toolJson.push(JSON.stringify({ name: ev.name, args: ev.args }));
          yield ev;
        }
      }
      if (request.signal.aborted || stalled) throw new AgentError('cancelled', 'Cancelled.');
      clearTimeout(timer);
      // Estimated: the model's tokenizer over what was sent and produced (the API reports no usage).
      const inputTokens = await countAll(model, messages, cts.token);
      const outputTokens = await countAll(model, [reader.text, ...toolJson].filter((s) => s !== ''), cts.token);
      if (inputTokens !== undefined && outputTokens !== undefined) yield { type: 'usage', usage: { inputTokens, outputTokens } };
      yield { type: 'stop', reason: reader.calledTools ? 'tool_use' : 'end_turn' };
    } catch (e) {
      throw fail(e);
    } finally {
      clearTimeout(timer);
      request.signal.removeEventListener('abort', onAbort);
      cts.dispose();
    }
  }
}
