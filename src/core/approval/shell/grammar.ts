import type { BashGrammar } from './tree-sitter.vendor';

import type { SyntaxTree } from './tree-sitter.vendor';

export type { SyntaxTree } from './tree-sitter.vendor';

let loading: Promise<BashGrammar> | undefined;
let loaded: BashGrammar | undefined;

/** The bash grammar, loaded once on first use (dist/vendor/tree-sitter.js in the extension). */
export async function bashGrammar(): Promise<BashGrammar> {
  if (loaded) return loaded;
  loading ??= import('./tree-sitter.vendor').then((m) => m.loadBashGrammar());
  try {
    loaded = await loading;
  } catch (e) {
    loading = undefined; // a failed load may be retried by the next analysis
    throw e;
  }
  return loaded;
}

/** The grammar if it has been loaded already (synchronous callers), else undefined. */
export function bashGrammarIfLoaded(): BashGrammar | undefined {
  return loaded;
}

/**
 * A syntax node as plain data: one pass over tree-sitter's tree with a cursor builds it, so
 * walking it allocates nothing in the WebAssembly heap and costs no calls into it (reading the
 * live tree node by node cost more than parsing). Indices are offsets into the JS string.
 */
export interface PlainNode {
  readonly id: number;
  readonly type: string;
  readonly isNamed: boolean;
  readonly isMissing: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  /** Field name in the parent (`name`, `argument`, `body`, …), or null. */
  readonly field: string | null;
  readonly children: PlainNode[];
  readonly parent: PlainNode | null;
  /** Position among the parent's children. */
  readonly index: number;
  readonly text: string;
}

/** A parsed line as plain data; `hasError` is tree-sitter's verdict on the whole tree. */
export interface PlainTree {
  readonly rootNode: PlainNode;
  readonly hasError: boolean;
}

/** One node; `text` is sliced from the source on demand. */
class Plain implements PlainNode {
  readonly children: PlainNode[] = [];
  readonly isMissing = false;
  constructor(
    private readonly source: string, readonly id: number, readonly type: string, readonly isNamed: boolean,
    readonly startIndex: number, readonly endIndex: number, readonly field: string | null, readonly parent: PlainNode | null, readonly index: number,
  ) {}

  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }
}

/** Per grammar: type names, which are named, field names (read once; lookups then stay in JS). */
const tables = new WeakMap<object, { types: string[]; named: boolean[]; fields: (string | null)[] }>();
function tablesOf(tree: SyntaxTree): { types: string[]; named: boolean[]; fields: (string | null)[] } {
  const lang = tree.language;
  let t = tables.get(lang);
  if (!t) {
    const types: string[] = [];
    const named: boolean[] = [];
    for (let id = 0; id < lang.nodeTypeCount; id++) { types.push(lang.nodeTypeForId(id) ?? ''); named.push(lang.nodeTypeIsNamed(id)); }
    t = { types, named, fields: [...lang.fields] };
    tables.set(lang, t);
  }
  return t;
}

/**
 * Converts a tree-sitter tree (then no longer needed: the caller deletes it). Iterative, so any
 * depth; four reads per node (type id, field id, start, end), the rest from per-grammar tables.
 * MISSING nodes are not marked one by one: they set the tree's `hasError`, which makes the line
 * not analysable anyway.
 */
/** Node kinds whose children's field names the analysis reads (others are not asked: one call less per node). */
const FIELD_PARENTS = new Set(['command', 'redirected_statement', 'file_redirect', 'variable_assignment', 'for_statement', 'case_statement', 'case_item', 'heredoc_redirect', 'herestring_redirect']);

/** Nodes judged by their text alone: their children are not copied. */
const OPAQUE_KINDS = new Set(['simple_expansion', 'expansion', 'arithmetic_expansion', 'brace_expression', 'ansi_c_string', 'translated_string', 'regex', 'extglob_pattern', 'comment']);

export function toPlainTree(tree: SyntaxTree, source: string): PlainTree {
  const { types, named, fields } = tablesOf(tree);
  const cursor = tree.walk();
  let ids = 0;
  const make = (parent: PlainNode | null, index: number): PlainNode => {
    const typeId = cursor.nodeTypeId;
    const field = parent && FIELD_PARENTS.has(parent.type) ? fields[cursor.currentFieldId] ?? null : null;
    return new Plain(source, ids++, types[typeId] ?? '', named[typeId] ?? false, cursor.startIndex, cursor.endIndex, field, parent, index);
  };
  try {
    const root = make(null, 0);
    let node = root;
    for (;;) {
      if (!OPAQUE_KINDS.has(node.type) && cursor.gotoFirstChild()) {
        const child = make(node, 0);
        node.children.push(child);
        node = child;
        continue;
      }
      for (;;) {
        if (node.parent === null) return { rootNode: root, hasError: tree.rootNode.hasError };
        if (cursor.gotoNextSibling()) {
          const sibling = make(node.parent, node.index + 1);
          node.parent.children.push(sibling);
          node = sibling;
          break;
        }
        cursor.gotoParent();
        node = node.parent;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** Parses `text` into a plain tree (undefined if the parser gave up); the live tree is freed at once. */
export function parsePlain(grammar: BashGrammar, text: string): PlainTree | undefined {
  const tree = grammar.parse(text);
  if (!tree) return undefined;
  try {
    return toPlainTree(tree, text);
  } finally {
    tree.delete();
  }
}

/** A node's children. */
export const kids = (n: PlainNode): PlainNode[] => n.children;
/** A node's named children. */
export const named = (n: PlainNode): PlainNode[] => n.children.filter((c) => c.isNamed);
/** A node's children under one field name. */
export const fieldKids = (n: PlainNode, field: string): PlainNode[] => n.children.filter((c) => c.field === field);
/** The first child under one field name. */
export const fieldKid = (n: PlainNode, field: string): PlainNode | undefined => n.children.find((c) => c.field === field);
/** The next sibling. */
export const nextSibling = (n: PlainNode): PlainNode | undefined => n.parent?.children[n.index + 1];
