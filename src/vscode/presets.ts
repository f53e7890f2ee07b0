/**
 * Provider presets: templates for `agentSessions.providers` profiles of well-known hosted and
 * local OpenAI-compatible servers. Data plus pure functions (what a preset asks, the profile it
 * makes); the flow that asks and writes the user setting is preset-flow.ts. No 'vscode' import.
 *
 * Endpoints as their providers document them (checked 2026-12): OpenRouter `https://openrouter.ai/api/v1`;
 * Gemini's OpenAI compatibility `https://generativelanguage.googleapis.com/v1beta/openai/`; Groq
 * `https://api.groq.com/openai/v1`; DeepSeek `https://api.deepseek.com`; Mistral `https://api.mistral.ai/v1`;
 * xAI `https://api.x.ai/v1`; Azure OpenAI: the v1 API `https://<resource>.openai.azure.com/openai/v1/`
 * (no dated api-version; the model is the deployment name) or a deployment URL
 * `…/openai/deployments/<deployment>` with `api-version` (latest GA data-plane version 2024-10-21),
 * both with the `api-key` header; LiteLLM proxy `http://127.0.0.1:4000` (key: its master or a
 * virtual key, optional); llama.cpp `llama-server` `http://127.0.0.1:8080/v1` (keyless unless
 * started with --api-key).
 */
import type { ProviderPresetInfo } from '../shared/protocol';
import { parseProviderProfile, type ProviderProfileSetting } from './settings';

/** Azure OpenAI's latest GA data-plane api-version for deployment URLs. */
export const AZURE_GA_API_VERSION = '2024-10-21';

/** One thing a preset asks the user before it can make a profile. */
export interface PresetField {
  id: 'resource' | 'deployment' | 'style' | 'apiVersion' | 'baseUrl';
  title: string;
  prompt: string;
  placeholder?: string;
  /** Pre-filled value. */
  value?: string;
  /** A fixed choice (quick pick) instead of free text. */
  choices?: ReadonlyArray<{ value: string; label: string; detail?: string }>;
  /** Asked only when this holds for the answers so far. */
  when?(answers: PresetAnswers): boolean;
  /** An error message for a bad value, or undefined. */
  validate?(value: string): string | undefined;
}

export type PresetAnswers = Partial<Record<PresetField['id'], string>>;

export interface ProviderPreset extends ProviderPresetInfo {
  /** Suggested models, the default one first. */
  models: readonly string[];
  /** Whether a key may be set although none is required (LiteLLM). */
  keyOptional?: boolean;
  fields: readonly PresetField[];
  /** The profile fields that follow from the answers (base URL, headers, api-version, label, models). */
  build(answers: PresetAnswers): Pick<ProviderProfileSetting, 'baseUrl'> & Partial<ProviderProfileSetting>;
}

/** Azure resource names: 2–64 letters, digits and hyphens, not starting or ending with a hyphen. */
const AZURE_RESOURCE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?$/;
/** Azure deployment names: letters, digits, `-`, `_`, `.`. */
const AZURE_DEPLOYMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function httpUrl(value: string): string | undefined {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : 'Use an http(s) URL.';
  } catch {
    return 'Not a URL (e.g. http://127.0.0.1:4000).';
  }
}

const hosted = (id: string, label: string, baseUrl: string, models: readonly string[], description: string,
  extra: Partial<ProviderProfileSetting> = {}): ProviderPreset => ({
  id, label, kind: 'openai', api: 'chat', baseUrl, requiresKey: true, models, description, fields: [],
  build: () => ({ baseUrl, ...extra }),
});

const localUrl = (placeholder: string): PresetField => ({
  id: 'baseUrl', title: 'Server URL', prompt: 'Where the server listens (its OpenAI-compatible base URL)', value: placeholder, placeholder, validate: httpUrl,
});

export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  hosted('openrouter', 'OpenRouter', 'https://openrouter.ai/api/v1',
    ['anthropic/claude-sonnet-4.5', 'openai/gpt-5', 'google/gemini-2.5-pro', 'deepseek/deepseek-chat-v3.1', 'qwen/qwen3-coder'],
    'Hundreds of models behind one key (openrouter.ai). Needs an OpenRouter API key.',
    { headers: { 'X-Title': 'Agent Sessions' } }),
  hosted('gemini', 'Google Gemini', 'https://generativelanguage.googleapis.com/v1beta/openai/',
    ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite'],
    "Gemini through Google's OpenAI-compatible endpoint. Needs a Gemini API key (Google AI Studio)."),
  hosted('groq', 'Groq', 'https://api.groq.com/openai/v1',
    ['openai/gpt-oss-120b', 'llama-3.3-70b-versatile', 'moonshotai/kimi-k2-instruct-0905', 'qwen/qwen3-32b'],
    'Fast hosted open models (groq.com). Needs a Groq API key.'),
  hosted('deepseek', 'DeepSeek', 'https://api.deepseek.com',
    ['deepseek-chat', 'deepseek-reasoner'],
    'DeepSeek V3 chat and the reasoner model (platform.deepseek.com). Needs a DeepSeek API key.'),
  hosted('mistral', 'Mistral', 'https://api.mistral.ai/v1',
    ['devstral-medium-latest', 'codestral-latest', 'mistral-large-latest', 'mistral-medium-latest'],
    'Mistral and Codestral models (console.mistral.ai). Needs a Mistral API key.'),
  hosted('xai', 'xAI Grok', 'https://api.x.ai/v1',
    ['grok-code-fast-1', 'grok-4', 'grok-4-fast-reasoning', 'grok-3-mini'],
    'Grok models (console.x.ai). Needs an xAI API key.'),
  {
    id: 'azure-openai', label: 'Azure OpenAI', kind: 'openai', api: 'chat', baseUrl: 'https://<resource>.openai.azure.com/openai/v1/',
    requiresKey: true, models: [],
    description: 'Your Azure OpenAI resource: asks for the resource and deployment name; the key goes in the api-key header.',
    fields: [
      { id: 'resource', title: 'Azure OpenAI resource', prompt: 'The resource name: <resource>.openai.azure.com', placeholder: 'my-resource',
        validate: (v) => (AZURE_RESOURCE.test(v) ? undefined : 'Letters, digits and hyphens only (the part before .openai.azure.com).') },
      { id: 'style', title: 'Azure OpenAI API', prompt: 'Which endpoint to use', choices: [
        { value: 'v1', label: 'v1 API (recommended)', detail: '/openai/v1/ — no dated api-version; the model is your deployment name' },
        { value: 'deployment', label: 'Deployment URL', detail: '/openai/deployments/<deployment> with an api-version' },
      ] },
      { id: 'deployment', title: 'Deployment name', prompt: 'The name you gave the model deployment', placeholder: 'gpt-4.1',
        validate: (v) => (AZURE_DEPLOYMENT.test(v) ? undefined : 'Letters, digits, ".", "_" and "-" only.') },
      { id: 'apiVersion', title: 'api-version', prompt: `The data-plane API version (latest GA: ${AZURE_GA_API_VERSION})`, value: AZURE_GA_API_VERSION,
        when: (a) => a.style === 'deployment',
        validate: (v) => (/^\d{4}-\d{2}-\d{2}(-preview)?$|^preview$/.test(v) ? undefined : 'Like 2024-10-21 or 2025-04-01-preview.') },
    ],
    build: (a) => {
      const root = `https://${a.resource ?? ''}.openai.azure.com/openai`;
      const deployment = a.deployment ?? '';
      const common = { authHeader: 'api-key' as const, label: `Azure OpenAI (${a.resource ?? ''})`, models: [deployment] };
      return a.style === 'deployment'
        ? { ...common, baseUrl: `${root}/deployments/${encodeURIComponent(deployment)}`, apiVersion: a.apiVersion ?? AZURE_GA_API_VERSION }
        : { ...common, baseUrl: `${root}/v1/` };
    },
  },
  {
    id: 'litellm', label: 'LiteLLM proxy', kind: 'openai', api: 'chat', baseUrl: 'http://127.0.0.1:4000', requiresKey: false, keyOptional: true,
    models: ['gpt-4o'], description: 'A LiteLLM proxy (default http://127.0.0.1:4000); a key only if the proxy has a master or virtual key.',
    fields: [localUrl('http://127.0.0.1:4000')],
    build: (a) => ({ baseUrl: a.baseUrl ?? 'http://127.0.0.1:4000' }),
  },
  {
    id: 'llamacpp', label: 'llama.cpp server', kind: 'openai', api: 'chat', baseUrl: 'http://127.0.0.1:8080/v1', requiresKey: false,
    models: ['local-model'], description: "llama.cpp's llama-server on this machine (default http://127.0.0.1:8080/v1); no key.",
    fields: [localUrl('http://127.0.0.1:8080/v1')],
    build: (a) => ({ baseUrl: a.baseUrl ?? 'http://127.0.0.1:8080/v1' }),
  },
];

/** The preset with this id, if any. */
export function presetById(id: string): ProviderPreset | undefined {
  return PROVIDER_PRESETS.find((p) => p.id === id);
}

/** What the webview lists (`providers.presets`). */
export function presetInfos(): ProviderPresetInfo[] {
  return PROVIDER_PRESETS.map((p) => ({
    id: p.id, label: p.label, kind: p.kind, ...(p.api ? { api: p.api } : {}), ...(p.baseUrl ? { baseUrl: p.baseUrl } : {}),
    requiresKey: p.requiresKey, description: p.description,
  }));
}

/** The fields still to ask, given the answers so far (in order; `when` decides). */
export function fieldsToAsk(preset: ProviderPreset, answers: PresetAnswers): PresetField[] {
  return preset.fields.filter((f) => answers[f.id] === undefined && (!f.when || f.when(answers)));
}

/** A profile id not among `taken`: the preset's (Azure: `azure-<resource>`), else with -2, -3… */
export function profileIdFor(preset: ProviderPreset, answers: PresetAnswers, taken: ReadonlySet<string>): string {
  const base = (preset.id === 'azure-openai' && answers.resource ? `azure-${answers.resource}` : preset.id).toLowerCase().slice(0, 60);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * The `agentSessions.providers` entry a preset makes from the answers, validated by the settings
 * schema (so what is written is what the reader accepts). Throws on a missing or bad answer.
 */
export function profileFromPreset(preset: ProviderPreset, answers: PresetAnswers, id: string): ProviderProfileSetting {
  for (const f of preset.fields) {
    if (f.when && !f.when(answers)) continue;
    const v = answers[f.id];
    if (v === undefined) throw new Error(`${preset.label}: "${f.title}" is missing.`);
    const bad = f.validate?.(v);
    if (bad) throw new Error(`${preset.label}: ${f.title}: ${bad}`);
  }
  const built = preset.build(answers);
  return parseProviderProfile({
    id, kind: preset.kind, label: preset.label, models: [...preset.models], requiresKey: preset.requiresKey,
    ...(preset.api && preset.api !== 'chat' ? { api: preset.api } : {}), preset: preset.id, ...built,
  });
}
