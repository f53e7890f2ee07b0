/**
 * What we show of VS Code's language models: the host-only `vscode-lm` profile and one ModelInfo
 * per chat model. Pure (no `vscode` import). Cost is billed by the model's vendor (a Copilot plan and
 * its premium requests), so no price is given; token counts are estimates (the model's tokenizer).
 */
import type { ModelInfo, ProbedProvider } from '../../shared/protocol';

export const VSCODE_LM_PROFILE_ID = 'vscode-lm';
export const VSCODE_LM_LABEL = 'VS Code language models (Copilot, …)';
/** The model id meaning "the first model VS Code offers" (Copilot also has a model of this id). */
export const VSCODE_LM_AUTO_MODEL = 'auto';

/** The subset of `vscode.LanguageModelChat` the listing reads. */
export interface LmModelMeta {
  id: string;
  name: string;
  vendor: string;
  family: string;
  maxInputTokens: number;
  capabilities?: { supportsToolCalling?: boolean; supportsImageToText?: boolean };
}

const VENDOR_LABELS: Readonly<Record<string, string>> = { copilot: 'GitHub Copilot' };

/** Who bills a vendor's models ("GitHub Copilot" for `copilot`, else the vendor id as contributed). */
export function lmVendorLabel(vendor: string): string {
  return VENDOR_LABELS[vendor] ?? vendor;
}

/** One model for the picker: "<name> — billed by <vendor>", its context window and what it can do. */
export function lmModelInfo(m: LmModelMeta): ModelInfo {
  return {
    id: m.id,
    label: `${m.name || m.id} — billed by ${lmVendorLabel(m.vendor)}`,
    ...(m.maxInputTokens > 0 ? { contextWindow: m.maxInputTokens } : {}),
    capabilities: {
      tools: m.capabilities?.supportsToolCalling ?? true,
      images: m.capabilities?.supportsImageToText ?? false,
      reasoning: false,
    },
  };
}

let known: string[] = [];

/** Remembers the model ids a listing or probe found (the profile suggests them). */
export function rememberLmModels(ids: readonly string[]): void {
  known = [...ids];
}

/** The model ids the last listing or probe found. */
export function knownVsCodeLmModels(): readonly string[] {
  return known;
}

/** At most this many model ids in a probe answer. */
export const MAX_PROBED_MODELS = 40;

/** The probe's answer for the models found (undefined: none, so it is not offered). */
export function lmProbeResult(models: readonly LmModelMeta[]): ProbedProvider | undefined {
  if (models.length === 0) return undefined;
  const vendors = [...new Set(models.map((m) => lmVendorLabel(m.vendor)))];
  return {
    providerId: VSCODE_LM_PROFILE_ID,
    label: `${VSCODE_LM_LABEL.replace(/ \(.*\)$/, '')} (${vendors.join(', ')})`,
    models: models.slice(0, MAX_PROBED_MODELS).map((m) => m.id),
  };
}

/** The host-only built-in profile (never the default): the "auto" model first, then the models last listed. */
export function vscodeLmProfile(knownModels: readonly string[] = []): {
  id: string; label: string; kind: 'vscode-lm'; models: string[]; defaultModel: string; requiresKey: false;
} {
  return {
    id: VSCODE_LM_PROFILE_ID, label: VSCODE_LM_LABEL, kind: 'vscode-lm', requiresKey: false,
    defaultModel: VSCODE_LM_AUTO_MODEL,
    models: [VSCODE_LM_AUTO_MODEL, ...knownModels.filter((m) => m !== VSCODE_LM_AUTO_MODEL)],
  };
}
