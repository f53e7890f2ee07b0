/**
 * Finding VS Code's chat models: the model a session names, the listing for the model picker and the
 * first-run probe. Selecting models never asks the user anything (consent comes with the first request).
 */
import * as vscode from 'vscode';
import { AgentError } from '../../core/base/errors';
import type { ModelInfo, ProbedProvider } from '../../shared/protocol';
import { lmModelInfo, lmProbeResult, rememberLmModels, VSCODE_LM_AUTO_MODEL } from './lm-model-info';

export { lmVendorLabel } from './lm-model-info';

/** Shown in VS Code's consent dialog. */
export const LM_JUSTIFICATION = 'Agent Sessions sends the prompts of the coding-agent session you started to this model.';

/** How long the probe waits for VS Code to list its models (it may activate extensions first). */
export const LM_PROBE_TIMEOUT_MS = 3_000;

/** The chat model a session names: by id, else (for "auto" only) the first VS Code offers. */
export async function resolveLmModel(id: string): Promise<vscode.LanguageModelChat> {
  const byId = await vscode.lm.selectChatModels({ id });
  if (byId[0]) return byId[0];
  if (id === VSCODE_LM_AUTO_MODEL || id === '') {
    const any = await vscode.lm.selectChatModels();
    if (any[0]) return any[0];
    throw new AgentError('not_found', 'VS Code offers no language models.', {
      hint: 'Install and sign in to GitHub Copilot, or an extension that contributes chat models; then pick the model again.',
    });
  }
  throw new AgentError('not_found', `VS Code has no language model "${id}".`, {
    hint: 'Pick another model: the extension that contributed it may be disabled or signed out.',
  });
}

/** Every chat model VS Code offers, for the model picker (cost: billed by each model's vendor). */
export async function listVsCodeLmModels(): Promise<ModelInfo[]> {
  const models = await vscode.lm.selectChatModels();
  rememberLmModels(models.map((m) => m.id));
  return models.map(lmModelInfo);
}

/** The `vscode-lm` profile when VS Code offers at least one model right now (within a few seconds). */
export async function probeVsCodeLm(timeoutMs = LM_PROBE_TIMEOUT_MS): Promise<ProbedProvider | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), timeoutMs); });
  try {
    const models = await Promise.race([Promise.resolve(vscode.lm.selectChatModels()).catch(() => undefined), timeout]);
    if (!models) return undefined;
    rememberLmModels(models.map((m) => m.id));
    return lmProbeResult(models);
  } finally {
    clearTimeout(timer);
  }
}
