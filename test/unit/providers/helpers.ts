/** Shared helpers for provider tests against the fake LLM server. */
import { createProvider } from '../../../src/core/providers/factory';
import type { HistoryMessage, ModelProvider, ModelRequest, ProviderKind, StreamEvent, StreamOptions } from '../../../src/core/providers/types';
import { AgentError } from '../../../src/core/base/errors';
import type { FakeLlm } from '../../fake-llm';

export const TEST_KEY = 'sk-test-4f1c0ffee';

/** `apiKey: null` = no key at all. */
export function providerFor(fake: FakeLlm, kind: ProviderKind, apiKey: string | null = TEST_KEY): ModelProvider {
  return createProvider({ kind, baseUrl: kind === 'openai' ? fake.openaiBaseUrl : fake.anthropicBaseUrl, apiKey: apiKey ?? undefined });
}

export function request(kind: ProviderKind, overrides: Partial<ModelRequest> = {}): ModelRequest {
  const messages: HistoryMessage[] = [{ id: 'u1', role: 'user', content: 'Say hello' }];
  return {
    model: kind === 'openai' ? 'gpt-4o' : 'claude-sonnet-4-6',
    system: 'You are a test assistant.',
    messages,
    tools: [],
    signal: new AbortController().signal,
    ...overrides,
  };
}

export interface Collected {
  events: StreamEvent[];
  error?: AgentError;
  text: string;
  ms: number;
}

/** Drains a stream; a thrown error is captured (must be an AgentError). */
export async function collect(stream: AsyncIterable<StreamEvent>, onEvent?: (e: StreamEvent) => void): Promise<Collected> {
  const events: StreamEvent[] = [];
  const start = Date.now();
  let error: AgentError | undefined;
  try {
    for await (const e of stream) {
      events.push(e);
      onEvent?.(e);
    }
  } catch (e) {
    if (!(e instanceof AgentError)) throw e;
    error = e;
  }
  const text = events.map((e) => (e.type === 'text_delta' ? e.text : '')).join('');
  return { events, error, text, ms: Date.now() - start };
}

export const fast: StreamOptions = { maxBackoffMs: 10, idleTimeoutMs: 5_000 };
