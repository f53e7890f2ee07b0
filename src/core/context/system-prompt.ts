import type { ToolSpec } from '../../shared/model';

/**
 * The base instructions every session starts with. Changing this text invalidates every
 * provider prompt cache, so change it rarely and on purpose.
 */
export const BASE_INSTRUCTIONS = [
  'You are a coding agent working inside the user\'s VS Code workspace.',
  'Work step by step: read before you edit, keep changes small and focused, and explain what you changed.',
  'Use the tools to inspect and change the workspace; never invent file contents or command output.',
  'When a tool call is denied, respect the reason given and adjust your plan instead of retrying the same call.',
  'When you are done, answer with a short summary of what you did and anything left to do.',
].join('\n');

export interface SystemPromptInput {
  /** The session's own system prompt (config.systemPrompt), appended after the base. */
  sessionPrompt?: string;
  /** Tools offered in this session; only their names go into the guidance (the specs travel separately). */
  tools: readonly ToolSpec[];
  /** Extra stable sections from the host (rules files, skills index), in a fixed order. */
  extraSections?: readonly string[];
  /** The custom agent the session runs as (config.agent): its prompt follows the base instructions. */
  agent?: { name: string; prompt: string } | undefined;
}

/**
 * Assembles the system prompt. Deterministic and byte-stable for the same input: no dates, no
 * counters, tool names sorted — so consecutive requests share the provider's prompt cache.
 */
export function buildSystemPrompt(input: SystemPromptInput): string {
  const sections: string[] = [BASE_INSTRUCTIONS];
  if (input.agent?.prompt.trim()) sections.push(`# Agent: ${input.agent.name}\n${input.agent.prompt.trim()}`);
  const names = input.tools.map((t) => t.name).sort();
  if (names.length > 0) {
    sections.push([
      '# Tools',
      `Available tools: ${names.join(', ')}.`,
      'Call tools with arguments that match their schema exactly. Prefer one focused call over many broad ones.',
      'Some calls need the user\'s approval; wait for the result before assuming success.',
    ].join('\n'));
  }
  for (const s of input.extraSections ?? []) {
    if (s.trim()) sections.push(s.trim());
  }
  const own = input.sessionPrompt?.trim();
  if (own) sections.push(`# Session instructions\n${own}`);
  return sections.join('\n\n');
}
