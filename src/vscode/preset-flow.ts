/**
 * "Add Provider from Preset…": pick a preset (unless given), ask what it needs (Azure resource and
 * deployment, a local server's URL…), write the profile into the USER settings
 * `agentSessions.providers` (never the workspace: a repository must not define where keys go),
 * then ask for the key when the preset needs one. The dialogs and the settings write come in as a
 * port, so this runs in plain Node tests; preset-ui.ts gives it VS Code's.
 */
import { fieldsToAsk, presetById, profileFromPreset, profileIdFor, PROVIDER_PRESETS, type PresetAnswers, type ProviderPreset } from './presets';

export interface PresetFlowPort {
  /** A quick pick; undefined = dismissed. */
  pick(title: string, items: ReadonlyArray<{ value: string; label: string; description?: string; detail?: string }>): Promise<string | undefined>;
  /** An input box; undefined = dismissed. `validate` returns an error message or undefined. */
  input(options: { title: string; prompt: string; value?: string; placeholder?: string; validate?(v: string): string | undefined }): Promise<string | undefined>;
  /** The raw user-scope value of `agentSessions.providers` (entries kept as they are, valid or not). */
  readUserProfiles(): readonly unknown[];
  /** Writes the user-scope value (ConfigurationTarget.Global). */
  writeUserProfiles(profiles: unknown[]): Promise<void>;
  /** The existing Set API Key flow for a profile id. */
  setKey(providerId: string): Promise<void>;
  /** Asks whether to set an optional key now; true = yes. */
  confirm(message: string, yes: string): Promise<boolean>;
  info(message: string): void;
}

export interface PresetFlowResult {
  providerId: string;
  /** True when a profile of the same preset and base URL was updated instead of a new one added. */
  replaced: boolean;
}

function idOf(entry: unknown): string | undefined {
  return entry && typeof entry === 'object' && typeof (entry as { id?: unknown }).id === 'string' ? (entry as { id: string }).id : undefined;
}

/** Runs the flow; undefined when the user dismissed a step (nothing is written then). */
export async function addProviderFromPreset(port: PresetFlowPort, presetId?: string): Promise<PresetFlowResult | undefined> {
  let preset: ProviderPreset | undefined = presetId ? presetById(presetId) : undefined;
  if (presetId && !preset) throw new Error(`There is no provider preset "${presetId}".`);
  if (!preset) {
    const picked = await port.pick('Add provider from preset', PROVIDER_PRESETS.map((p) => ({
      value: p.id, label: p.label, description: p.requiresKey ? 'API key' : 'no key', detail: p.description,
    })));
    if (!picked) return undefined;
    preset = presetById(picked)!;
  }
  const answers: PresetAnswers = {};
  for (let field = fieldsToAsk(preset, answers)[0]; field; field = fieldsToAsk(preset, answers)[0]) {
    const value = field.choices
      ? await port.pick(field.title, field.choices.map((c) => ({ value: c.value, label: c.label, ...(c.detail ? { detail: c.detail } : {}) })))
      : await port.input({
        title: `${preset.label}: ${field.title}`, prompt: field.prompt,
        ...(field.value !== undefined ? { value: field.value } : {}), ...(field.placeholder !== undefined ? { placeholder: field.placeholder } : {}),
        ...(field.validate ? { validate: field.validate } : {}),
      });
    if (value === undefined) return undefined;
    answers[field.id] = value.trim();
  }
  const existing = [...port.readUserProfiles()];
  // The same preset at the same URL again: update that profile rather than add a twin.
  const probe = profileFromPreset(preset, answers, profileIdFor(preset, answers, new Set()));
  const twin = existing.findIndex((e) => {
    const o = e as { preset?: unknown; baseUrl?: unknown } | null;
    return idOf(e) !== undefined && o?.preset === preset.id && o.baseUrl === probe.baseUrl;
  });
  const taken = new Set(existing.map(idOf).filter((x): x is string => x !== undefined));
  const id = twin >= 0 ? idOf(existing[twin])! : profileIdFor(preset, answers, taken);
  const profile = profileFromPreset(preset, answers, id);
  if (twin >= 0) existing[twin] = { ...(existing[twin] as object), ...profile };
  else existing.push(profile);
  await port.writeUserProfiles(existing);
  port.info(`Provider "${profile.label ?? id}" ${twin >= 0 ? 'updated' : 'added'} to your user settings (agentSessions.providers, id "${id}").`);
  if (preset.requiresKey) await port.setKey(id);
  else if (preset.keyOptional && await port.confirm(`${preset.label}: set a key now? Only needed if the server asks for one.`, 'Set key')) await port.setKey(id);
  return { providerId: id, replaced: twin >= 0 };
}
