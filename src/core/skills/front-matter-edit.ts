import { isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
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
    // A YAML list stays a list (flow or block, as it was).
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

function setDescription(doc: Document, description: string): void {
  const node = doc.get('description', true);
  if (isScalar(node)) node.value = description; else doc.set('description', description);
}

type Range = [number, number, number];

function pairOf(doc: Document, key: string): { key: Range; value: Range } | undefined {
  if (!isMap(doc.contents)) return undefined;
  for (const item of doc.contents.items) {
    const k = item.key as Node | null;
    const v = item.value as Node | null;
    if (isScalar(k) && k.value === key && k.range && v?.range) return { key: k.range, value: v.range };
  }
  return undefined;
}

function parseOrThrow(source: string): Document {
  const doc = parseDocument(source);
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    const why = doc.errors[0]?.message.split('\n')[0] ?? 'it is not a mapping';
    throw new AgentError('bad_request', `The existing SKILL.md front matter cannot be parsed (${why}); fix it by hand before updating the skill.`);
  }
  return doc;
}

/**
 * Changes one top-level field. The edit is made on the Document (so the value is written the way
 * the yaml package writes it, in the node's own style); the new value's text is then spliced into
 * the original source at the old value's range, so every other byte — spacing before comments,
 * indentation, key order — stays as it was. If the splice does not read back as the edited
 * document (an unusual layout), the whole edited document is used instead: same data, comments kept.
 */
function editField(source: string, key: string, edit: (doc: Document) => void): string {
  const before = parseOrThrow(source);
  const edited = before.clone();
  edit(edited);
  const whole = edited.toString(TO_STRING).replace(/\n$/, '');
  const written = parseDocument(whole);
  const a = pairOf(before, key);
  const b = pairOf(written, key);
  let out: string;
  if (a && b) {
    // Block values' ranges may end with their newline; keep the original's ending.
    const ending = source.slice(a.value[0], a.value[1]).endsWith('\n') ? '\n' : '';
    out = source.slice(0, a.value[0]) + whole.slice(b.value[0], b.value[1]).replace(/\n$/, '') + ending + source.slice(a.value[1]);
  } else if (!a && b) {
    out = `${source.replace(/\n$/, '')}\n${whole.slice(b.key[0], b.value[1]).replace(/\n$/, '')}`;
  } else if (a && !b) {
    const lineStart = source.lastIndexOf('\n', a.key[0] - 1) + 1;
    const nl = source.indexOf('\n', a.value[2] - 1);
    out = source.slice(0, lineStart) + (nl < 0 ? '' : source.slice(nl + 1));
    out = out.replace(/\n$/, '');
  } else {
    return source;
  }
  const check = parseDocument(out);
  return check.errors.length === 0 && JSON.stringify(check.toJS()) === JSON.stringify(edited.toJS()) ? out : whole;
}

/**
 * Applies changes to a SKILL.md through the YAML Document API (parseDocument / set / String), so
 * every field it does not change — `license`, `metadata`, `allowed-tools`, unknown ones — and
 * every comment survive byte for byte (see editField); a changed scalar keeps its style (plain,
 * quoted, folded) when the new value allows it. Throws AgentError('bad_request') when the front matter cannot be
 * parsed (rewriting it would lose what we cannot read).
 */
export function updateSkillFile(text: string, changes: SkillFileChanges): string {
  const m = FRONT_MATTER.exec(text);
  if (!m) throw new AgentError('bad_request', 'The existing SKILL.md has no front matter block (---); fix it by hand or delete and recreate the skill.');
  const [whole, open, source, close] = m as unknown as [string, string, string, string];
  const crlf = source.includes('\r\n');
  let yamlText = crlf ? source.replace(/\r\n/g, '\n') : source;
  parseOrThrow(yamlText);
  const { description, allowedTools } = changes;
  if (description !== undefined) yamlText = editField(yamlText, 'description', (doc) => setDescription(doc, description));
  if (allowedTools !== undefined) yamlText = editField(yamlText, 'allowed-tools', (doc) => setAllowedTools(doc, allowedTools));
  if (crlf) yamlText = yamlText.replace(/\n/g, '\r\n');
  let body = text.slice(whole.length);
  if (changes.body !== undefined) body = changes.body.endsWith('\n') ? changes.body : `${changes.body}\n`;
  return `${open}${yamlText}${close.endsWith('\n') || body === '' ? close : `${close}\n`}${body}`;
}
