import { posix } from 'node:path';
import type { AttachedRule } from '../../shared/knowledge-types';
import type { KnowledgeRulesFile } from '../../shared/session';
import { capText, type RulesFile, type RulesFileKind } from './rules-files';

/**
 * The rules files' section of the system prompt, by relevance within a budget: the files that
 * always apply first (root AGENTS.md, CLAUDE.md, GEMINI.md, Copilot and Cline instructions,
 * alwaysApply Cursor rules, in that order), then the files attached on the way (rules-on-path.ts),
 * the newest — nearest to what the session works on now — first. A file that does not fit is not
 * sent as an empty stub: it is listed by path so the model can read it when it needs it. Cursor
 * rules with only a description are listed by it. Deterministic: same files, texts and
 * attachments → same bytes (prompt caching depends on it).
 */

/** Default budget over all files sent, characters. */
export const DEFAULT_RULES_BUDGET = 60_000;
/** A file is cut to fit only when at least this much of it fits; less, and it is listed instead. */
export const MIN_PARTIAL_CHARS = 500;

const KIND_LABEL: Record<RulesFileKind, string> = {
  agents: 'AGENTS.md', claude: 'CLAUDE.md', gemini: 'GEMINI.md', copilot: 'Copilot instructions', clinerules: 'Cline rules', cursor: 'Cursor rule',
};

export interface ComposedRules {
  /** The system-prompt section ('' when nothing is sent or listed). */
  section: string;
  /** Every file as the session's UI lists it (active, omitted, activation …). */
  listing: KnowledgeRulesFile[];
  /** Characters of file text sent against the budget. */
  budget: { chars: number; budget: number };
}

interface Placed { file: RulesFile; text?: string; truncated: boolean; omitted: boolean }

/** Which files are in the context, in priority order: always-files, then attached ones newest first. */
function inContext(files: readonly RulesFile[], attached: readonly AttachedRule[]): RulesFile[] {
  const on = files.filter((f) => f.enabled && f.activation !== 'manual');
  const always = on.filter((f) => f.activation === 'always');
  const byId = new Map(on.map((f) => [f.id, f]));
  const later: RulesFile[] = [];
  for (const a of [...attached].reverse()) {
    const f = byId.get(a.id);
    if (f && f.activation !== 'always' && !later.includes(f)) later.push(f);
  }
  return [...always, ...later];
}

/** Fits the files into the budget in priority order. */
function place(priority: readonly RulesFile[], budget: number): Map<string, Placed> {
  const out = new Map<string, Placed>();
  let left = budget;
  for (const f of priority) {
    if (f.text.length <= left) {
      out.set(f.id, { file: f, text: f.text, truncated: f.truncated, omitted: false });
      left -= f.text.length;
    } else if (left >= MIN_PARTIAL_CHARS) {
      const cut = capText(f.text, left, f.originalChars);
      out.set(f.id, { file: f, text: cut.text, truncated: true, omitted: false });
      left = 0;
    } else {
      out.set(f.id, { file: f, truncated: false, omitted: true });
    }
  }
  return out;
}

function heading(f: RulesFile): string {
  const scope = f.scope !== '' ? ` (applies to ${posix.join(f.scope, '**')})`
    : f.activation === 'glob' && f.globs ? ` (applies to files matching ${f.globs.join(', ')})` : '';
  return `## ${KIND_LABEL[f.kind]}: ${f.relativePath}${scope}`;
}

/**
 * Composes the rules section for a session: `files` as loaded (RulesFilesLoader.load), `attached`
 * the session's snapshot.attachedRules, `budget` in characters.
 */
export function composeRules(files: readonly RulesFile[], attached: readonly AttachedRule[] = [], budget = DEFAULT_RULES_BUDGET): ComposedRules {
  const priority = inContext(files, attached);
  const placed = place(priority, budget);
  // Rendered in a stable order: always-files as found, then attached files as they were attached.
  const order = [...priority.filter((f) => f.activation === 'always'), ...priority.filter((f) => f.activation !== 'always').reverse()];
  const sent = order.map((f) => placed.get(f.id)!).filter((p) => !p.omitted);
  const omitted = order.map((f) => placed.get(f.id)!).filter((p) => p.omitted);
  const requested = files.filter((f) => f.enabled && f.activation === 'requested' && !placed.has(f.id));
  const parts: string[] = [];
  if (sent.length > 0) {
    parts.push('# Project instructions', 'The workspace provides these instruction files. Follow them. A nested AGENTS.md, CLAUDE.md or GEMINI.md applies to files in its folder and overrides the ones above it; such files are added here once you work in their folder.');
    for (const p of sent) parts.push(`${heading(p.file)}\n\n${(p.text ?? '').trim()}`);
  }
  if (requested.length > 0) {
    parts.push(`${sent.length > 0 ? '## ' : '# '}Rules you may read when relevant (read_file)\n${requested.map((f) => `- ${f.relativePath} — ${f.description ?? ''}`).join('\n')}`);
  }
  if (omitted.length > 0) {
    parts.push(`${sent.length > 0 ? '## ' : '# '}Also available (read with read_file when relevant; left out for space)\n${omitted.map((p) => `- ${p.file.relativePath}`).join('\n')}`);
  }
  const listing = files.map((f): KnowledgeRulesFile => {
    const p = placed.get(f.id);
    return {
      id: f.id, kind: f.kind, relativePath: f.relativePath, scope: f.scope, size: f.size,
      chars: p?.text?.length ?? 0, truncated: p ? p.truncated : f.truncated, enabled: f.enabled,
      activation: f.activation, ...(f.globs ? { globs: f.globs } : {}), ...(f.description ? { description: f.description } : {}),
      active: p !== undefined && !p.omitted, ...(p?.omitted ? { omitted: true } : {}), ...(f.linkTarget ? { linkTarget: f.linkTarget } : {}),
    };
  });
  const chars = sent.reduce((n, p) => n + (p.text?.length ?? 0), 0);
  return { section: parts.length > 0 ? `${parts.join('\n\n')}\n` : '', listing, budget: { chars, budget } };
}

/** The system-prompt section of files that always apply (no attachments, the default budget). */
export function rulesSystemPromptSection(files: readonly RulesFile[], attached: readonly AttachedRule[] = [], budget?: number): string {
  return composeRules(files, attached, budget).section;
}
