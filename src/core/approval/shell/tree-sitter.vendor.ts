/**
 * tree-sitter with the bash grammar, from `@vscode/tree-sitter-wasm` (the build VS Code itself
 * ships). Bundled on its own (dist/vendor/tree-sitter.js) and loaded on the first command
 * analysis; its two .wasm files are copied next to the bundle by scripts/build.mjs.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as TreeSitter from '@vscode/tree-sitter-wasm';

export type { Node as SyntaxNode, Tree as SyntaxTree } from '@vscode/tree-sitter-wasm';

/** A loaded bash parser. `parse` is synchronous once loaded. */
export interface BashGrammar {
  parse(text: string): TreeSitter.Tree | null;
}

/** Next to the bundle (the packaged extension), else the package in node_modules (tests). */
function wasmPath(file: string): string {
  const beside = path.join(__dirname, file);
  if (existsSync(beside)) return beside;
  return require.resolve(`@vscode/tree-sitter-wasm/wasm/${file}`);
}

/** Loads the runtime and the bash grammar (tens of ms, once per process). */
export async function loadBashGrammar(): Promise<BashGrammar> {
  await TreeSitter.Parser.init({ locateFile: (file: string) => wasmPath(file) });
  const bash = await TreeSitter.Language.load(wasmPath('tree-sitter-bash.wasm'));
  const parser = new TreeSitter.Parser();
  parser.setLanguage(bash);
  return { parse: (text) => parser.parse(text) };
}
