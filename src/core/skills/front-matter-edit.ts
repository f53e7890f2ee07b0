import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { AgentError } from '../base/errors';
import { allowedToolsSeparator } from './allowed-tools';

/** What manage_skill changes in an existing SKILL.md; absent fields stay as they are. */
export interface SkillFileChanges {
  description?: string;
  body?: string;
  /** New `allowed-tools` patterns; `[]` removes the field. */
  allowedTools?: readonly string[];
}

/** The front matter block of a SKILL.md: the same shape parseSkillFile accepts. */
const FRONT_MATTER = /^(\uFEFF?---\r?\n)([\s\S]*?)(\r?\n---[ \t]*(?:\r?\n|$))/;

/**
 * Stringify options that reproduce real SKILL.md front matter byte for byte: no line folding,
 * `[a, b]` flow lists without inner padding (checked on 896 published SKILL.md files).
 */
const TO_STRING = { lineWidth: 0, flowCollectionPadding: false } as const;

function setAllowedTools(doc: Document, tools: readonly string[]): void {
  if (tools.length === 0) { doc.delete('allowed-tools'); return; }
  const node = doc.get('allowed-tools', true);
  if (isSeq(node)) {
    // A YAML list stays a list (flow or block as it was); each item keeps no stale comment.
    node.items = tools.map((t) => doc.createNode(t));
    return;
  }
  if (isScalar(node) && typeof node.value === 'string') {
    node.value = tools.join(allowedToolsSeparator(node.value));
    return;
  }
  // New field: the spec's form, a space-separated string.
  doc.set('allowed-tools', tools.join(' '));
}

/**
 * Applies changes to a SKILL.md through the YAML Document API (parseDocument / set / String), so
 * every field it does not change — `license`, `metadata`, `allowed-tools`, unknown ones — and
 * every comment survive unchanged; a changed scalar keeps its style (plain, quoted, folded) when
 * the new value allows it. Throws AgentError('bad_request') when the front matter cannot be
 * parsed (rewriting it would lose what we cannot read).
 */
export function updateSkillFile(text: string, changes: SkillFileChanges): string {
  const m = FRONT_MATTER.exec(text);
  if (!m) throw new AgentError('bad_request', 'The existing SKILL.md has no front matter block (---); fix it by hand or delete and recreate the skill.');
  const [whole, open, source, close] = m as unknown as [string, string, string, string];
  const doc = parseDocument(source);
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    const why = doc.errors[0]?.message.split('\n')[0] ?? 'it is not a mapping';
    throw new AgentError('bad_request', `The existing SKILL.md front matter cannot be parsed (${why}); fix it by hand before updating the skill.`);
  }
  let yamlText = source;
  if (changes.description !== undefined || changes.allowedTools !== undefined) {
    if (changes.description !== undefined) {
      const node = doc.get('description', true);
      if (isScalar(node)) node.value = changes.description; else doc.set('description', changes.description);
    }
    if (changes.allowedTools !== undefined) setAllowedTools(doc, changes.allowedTools);
    yamlText = doc.toString(TO_STRING).replace(/\r?\n$/, '');
    if (source.includes('\r\n')) yamlText = yamlText.replace(/\r?\n/g, '\r\n');
  }
  let body = text.slice(whole.length);
  if (changes.body !== undefined) body = changes.body.endsWith('\n') ? changes.body : `${changes.body}\n`;
  return `${open}${yamlText}${close.endsWith('\n') || body === '' ? close : `${close}\n`}${body}`;
}
