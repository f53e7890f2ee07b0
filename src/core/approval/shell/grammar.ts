import type { BashGrammar } from './tree-sitter.vendor';

export type { SyntaxNode, SyntaxTree } from './tree-sitter.vendor';

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

type Node = import('./tree-sitter.vendor').SyntaxNode;
const present = (c: Node | null): c is Node => c !== null;
/** A node's children (tree-sitter's list may hold nulls). */
export const kids = (n: Node): Node[] => n.children.filter(present);
/** A node's named children. */
export const named = (n: Node): Node[] => n.namedChildren.filter(present);
/** A node's children under one field name. */
export const fieldKids = (n: Node, field: string): Node[] => n.childrenForFieldName(field).filter(present);
