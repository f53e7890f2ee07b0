/**
 * What running as a custom agent changes in a new session's config: `agent` (its name, file and
 * prompt, recorded so a reopened session behaves the same), `allowedTools` narrowed to the
 * agent's tools (intersected with any allowlist the session already has; never wider), and the
 * model when the agent names one the session's provider offers. What could not be applied
 * (unknown tools, a model the provider does not offer) comes back as notes for a `warning`.
 */
import type { SessionConfig } from '../../shared/session';
import type { ParsedAgent } from './parse';
import { intersectAllowlists } from './tool-map';

export interface AppliedAgent {
  patch: Partial<SessionConfig>;
  notes: string[];
}

/** Claude Code's model aliases: matched to the first offered model whose id contains them. */
const ALIASES = ['opus', 'sonnet', 'haiku'];

/** `Claude Sonnet 4.5 (copilot)` → `claude-sonnet-4-5`; `gpt-5` stays. */
function normalise(model: string): string {
  return model.trim().toLowerCase().replace(/\s*\([^)]*\)\s*$/, '').replace(/[\s.]+/g, '-');
}

/**
 * The offered model an agent's model name means, or undefined: the same id (ignoring case, spaces
 * and dots as VS Code's display names write them, and a trailing `(vendor)`), an id it is the
 * undated prefix of (`claude-sonnet-4-5` → `claude-sonnet-4-5-20250929`), or for Claude Code's
 * aliases the first offered id containing the alias.
 */
export function matchModel(wanted: string, offered: readonly string[]): string | undefined {
  const w = normalise(wanted);
  const exact = offered.find((m) => normalise(m) === w);
  if (exact) return exact;
  const dated = offered.find((m) => normalise(m).startsWith(`${w}-`));
  if (dated) return dated;
  if (ALIASES.includes(w)) return offered.find((m) => normalise(m).includes(w));
  return undefined;
}

export interface ApplyAgentInput {
  agent: ParsedAgent;
  /** The new session's config before the agent (defaults merged with the request). */
  config: SessionConfig;
  /** Models the session's provider offers; undefined: not known here. */
  offeredModels?: readonly string[];
  /** Tool names the session has now (for `disallowedTools` without `tools`). */
  toolNames(): string[];
}

/** The config patch and notes for running as `agent` (see the file comment). */
export function applyAgent(input: ApplyAgentInput): AppliedAgent {
  const { agent, config } = input;
  const { info } = agent;
  const notes: string[] = [];
  const patch: Partial<SessionConfig> = { agent: { name: info.name, source: info.source, prompt: agent.prompt } };
  let own = info.tools;
  if (!own && info.deniedTools?.length) own = input.toolNames().filter((n) => !info.deniedTools?.includes(n));
  const allowed = intersectAllowlists(own, config.allowedTools);
  if (allowed) patch.allowedTools = allowed;
  const unknown = (info.unknownTools ?? []).filter((n) => !n.startsWith('!'));
  if (unknown.length > 0) {
    notes.push(`Agent "${info.name}" (${info.source}) lists tools this extension does not have, left out: ${unknown.join(', ')}.`
      + (allowed && allowed.length === 0 ? ' It runs with no tools.' : ''));
  } else if (allowed && allowed.length === 0) {
    notes.push(`Agent "${info.name}" (${info.source}) runs with no tools${config.allowedTools ? ' (none of its tools is in this session\'s allowlist)' : ''}.`);
  }
  if (agent.models.length > 0) {
    const offered = input.offeredModels;
    const found = offered ? agent.models.map((m) => matchModel(m, offered)).find((m) => m !== undefined) : undefined;
    if (found) {
      if (found !== config.model) patch.model = found;
    } else {
      notes.push(`Agent "${info.name}" asks for the model ${agent.models.map((m) => `"${m}"`).join(' or ')}, which provider "${config.providerId}" does not offer${offered ? '' : ' (its models are not known here)'}; the session uses ${config.model}.`);
    }
  }
  return { patch, notes };
}
