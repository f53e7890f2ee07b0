/**
 * Provider profiles the user can pick: built-ins (OpenAI, Anthropic, and the local
 * OpenAI-compatible Ollama and LM Studio, which need no key) merged with `agentSessions.providers`
 * (a settings profile with a built-in id replaces it). Pure: runs in plain Node tests.
 */
import type { ProviderKind } from '../shared/model';
import type { ProviderProfileSetting } from './settings';
import { providerNeedsKey } from './secrets';

export interface ProviderProfile {
  id: string;
  label: string;
  kind: ProviderKind;
  baseUrl?: string;
  models: string[];
  requiresKey: boolean;
}

export const BUILTIN_PROFILES: readonly ProviderProfile[] = [
  { id: 'openai', label: 'OpenAI', kind: 'openai', models: ['gpt-5', 'gpt-5-mini', 'gpt-4.1', 'gpt-4.1-mini', 'o4-mini'], requiresKey: true },
  { id: 'anthropic', label: 'Anthropic', kind: 'anthropic', models: ['claude-sonnet-4-5', 'claude-opus-4-1', 'claude-haiku-4-5'], requiresKey: true },
  { id: 'ollama', label: 'Ollama (local)', kind: 'openai', baseUrl: 'http://localhost:11434/v1', models: ['qwen2.5-coder', 'llama3.1'], requiresKey: false },
  { id: 'lmstudio', label: 'LM Studio (local)', kind: 'openai', baseUrl: 'http://localhost:1234/v1', models: ['local-model'], requiresKey: false },
];

/** Built-ins first (in their order), settings profiles replace a built-in of the same id or follow. */
export function mergeProfiles(fromSettings: readonly ProviderProfileSetting[], builtins: readonly ProviderProfile[] = BUILTIN_PROFILES): ProviderProfile[] {
  const out = builtins.map((p) => ({ ...p, models: [...p.models] }));
  for (const s of fromSettings) {
    const builtin = out.find((p) => p.id === s.id);
    const profile: ProviderProfile = {
      id: s.id,
      label: s.label ?? builtin?.label ?? s.id,
      kind: s.kind,
      ...(s.baseUrl !== undefined ? { baseUrl: s.baseUrl } : builtin?.baseUrl !== undefined && builtin.kind === s.kind ? { baseUrl: builtin.baseUrl } : {}),
      models: s.models.length > 0 ? [...s.models] : builtin?.kind === s.kind ? [...builtin.models] : [],
      requiresKey: false,
    };
    profile.requiresKey = s.requiresKey ?? (builtin && builtin.baseUrl === profile.baseUrl ? builtin.requiresKey : providerNeedsKey({ baseUrl: profile.baseUrl }));
    const idx = out.findIndex((p) => p.id === s.id);
    if (idx >= 0) out[idx] = profile;
    else out.push(profile);
  }
  return out;
}
