/**
 * What the OpenAI and Anthropic adapters share around their SDK call: the key check for the
 * official endpoints, one RequestScope per attempt (idle watchdog on bytes + cancellation),
 * error normalisation, and "the SDK ended silently because we aborted it" turned into an error.
 * Each adapter keeps only what differs: its client, its request body and its stream parser.
 */
import { AgentError } from '../base/errors';
import type { ErrorClassHints } from './errors';
import type { ModelRequest, ProviderEndpoint, StreamEvent, StreamOptions } from './types';
import { RequestScope } from './watchdog';

/** Turns one SDK stream into normalised events; `finish` fails on a stream that never ended properly. */
export interface SdkStreamParser<C> {
  push(chunk: C): Iterable<StreamEvent>;
  finish(): Iterable<StreamEvent>;
}

export interface SdkStreamSpec<C> {
  request: ModelRequest;
  options: StreamOptions;
  /** Which SDK error classes `e` belongs to (the classes come from the lazily loaded SDK). */
  classify(e: unknown): ErrorClassHints;
  /** Opens the SDK stream with the scope's fetch and signal. */
  open(scope: RequestScope): Promise<AsyncIterable<C>>;
  parser: SdkStreamParser<C>;
}

/** The official endpoints need a key; a custom base URL (a local server or gateway) may not. */
export function assertKeyForOfficialEndpoint(endpoint: ProviderEndpoint, providerLabel: string): void {
  if (!endpoint.baseUrl && !endpoint.apiKey) {
    throw new AgentError('auth', `No API key is set for ${providerLabel}.`, { hint: 'Set an API key for this provider (command "Agent Sessions: Set API Key").' });
  }
}

/** One attempt: streams the SDK's chunks through the parser; every failure is an AgentError. */
export async function* streamThroughSdk<C>(spec: SdkStreamSpec<C>): AsyncGenerator<StreamEvent> {
  const scope = new RequestScope(spec.request.signal, spec.options.idleTimeoutMs);
  const fail = (e: unknown): AgentError => (e instanceof AgentError ? e : scope.interruption(e, spec.classify(e))!);
  try {
    try {
      const stream = await spec.open(scope);
      for await (const chunk of stream) {
        for (const ev of spec.parser.push(chunk)) yield ev;
      }
    } catch (e) {
      throw fail(e);
    }
    // The SDK ends silently when its request is aborted (cancel or watchdog).
    const interrupted = scope.interruption();
    if (interrupted) throw interrupted;
    for (const ev of spec.parser.finish()) yield ev;
  } finally {
    scope.dispose();
  }
}
