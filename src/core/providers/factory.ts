/**
 * Provider construction and the built-in provider profiles the UI offers. Creating a provider is
 * cheap and loads no SDK (that happens on its first request).
 */
import type { ModelProvider, ProviderEndpoint, ProviderKind } from './types';
import { AnthropicProvider } from './anthropic';
import { createOpenAIProvider } from './openai';
import { AgentError } from '../base/errors';

/** A provider the user can pick: which protocol, where, and whether it needs a key. */
export interface ProviderProfile {
  /** Stable id; also the SecretSource key name. */
  id: string;
  kind: ProviderKind;
  label: string;
  /** Undefined = the protocol's official endpoint. */
  baseUrl?: string;
  requiresKey: boolean;
  defaultModel: string;
  /** Suggestions; any model name may be used. */
  models: readonly string[];
}

export const BUILTIN_PROFILES: readonly ProviderProfile[] = [
  {
    id: 'anthropic', kind: 'anthropic', label: 'Anthropic', requiresKey: true,
    defaultModel: 'claude-sonnet-4-6',
    models: ['claude-sonnet-4-6', 'claude-opus-4-6', 'claude-opus-4-5', 'claude-haiku-4-5', 'claude-sonnet-4-5'],
  },
  {
    id: 'openai', kind: 'openai', label: 'OpenAI', requiresKey: true,
    defaultModel: 'gpt-5.1',
    models: ['gpt-5.1', 'gpt-5', 'gpt-5-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4o', 'o4-mini'],
  },
  {
    id: 'ollama', kind: 'openai', label: 'Ollama (local)', baseUrl: 'http://127.0.0.1:11434/v1', requiresKey: false,
    defaultModel: 'qwen2.5-coder', models: ['qwen2.5-coder', 'llama3.1', 'gpt-oss'],
  },
  {
    id: 'lmstudio', kind: 'openai', label: 'LM Studio (local)', baseUrl: 'http://127.0.0.1:1234/v1', requiresKey: false,
    defaultModel: 'local-model', models: ['local-model'],
  },
];

export function profileById(id: string): ProviderProfile | undefined {
  return BUILTIN_PROFILES.find((p) => p.id === id);
}

/** The adapter for an endpoint's wire protocol. */
export function createProvider(endpoint: ProviderEndpoint): ModelProvider {
  switch (endpoint.kind) {
    case 'openai':
      return createOpenAIProvider(endpoint);
    case 'anthropic':
      return new AnthropicProvider(endpoint);
    case 'vscode-lm':
      // Only the VS Code host can reach vscode.lm; it creates this provider itself (src/vscode/lm).
      throw new AgentError('unsupported', 'VS Code language models are available only inside VS Code.');
  }
}
