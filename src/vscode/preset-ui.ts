/**
 * VS Code's dialogs for the preset flow (preset-flow.ts). Profiles are written to the USER settings only.
 */
import * as vscode from 'vscode';
import type { ExtensionHost } from './host';
import { COMMANDS } from './ids';
import { addProviderFromPreset, type PresetFlowPort, type PresetFlowResult } from './preset-flow';
import { SECTION } from './settings';

/** Waits (briefly) until the settings reader sees the new profile, so Set API Key finds it. */
async function untilProfile(host: ExtensionHost, id: string): Promise<void> {
  for (let i = 0; i < 20 && !host.services().profile(id); i++) await new Promise((r) => setTimeout(r, 50));
}

/** The flow with VS Code's quick picks, input boxes and the user-scope settings write. */
export function runAddProvider(host: ExtensionHost, presetId?: string): Promise<PresetFlowResult | undefined> {
  const config = () => vscode.workspace.getConfiguration(SECTION);
  const port: PresetFlowPort = {
    pick: async (title, items) => (await vscode.window.showQuickPick(items.map((i) => ({ ...i })), { title, ignoreFocusOut: true }))?.value,
    input: async (o) => vscode.window.showInputBox({
      title: o.title, prompt: o.prompt, ignoreFocusOut: true,
      ...(o.value !== undefined ? { value: o.value } : {}), ...(o.placeholder !== undefined ? { placeHolder: o.placeholder } : {}),
      ...(o.validate ? { validateInput: (v: string) => o.validate?.(v.trim()) } : {}),
    }),
    readUserProfiles: () => {
      const v = config().inspect<unknown[]>('providers')?.globalValue;
      return Array.isArray(v) ? v : [];
    },
    writeUserProfiles: async (profiles) => { await config().update('providers', profiles, vscode.ConfigurationTarget.Global); },
    setKey: async (id) => { await untilProfile(host, id); await vscode.commands.executeCommand(COMMANDS.setApiKey, id); },
    confirm: async (message, yes) => (await vscode.window.showInformationMessage(message, yes)) === yes,
    info: (message) => { host.logger.info(message); void vscode.window.showInformationMessage(`Agent Sessions: ${message}`); },
  };
  return addProviderFromPreset(port, presetId);
}
