/**
 * Fixture trees for the rules-files tests, mirroring how real repositories ship them: a monorepo
 * with a root AGENTS.md and nested ones per package (agents.md; the layout of e.g. openai/codex),
 * nested CLAUDE.md (Claude Code's memory docs), GEMINI.md (Gemini CLI's context files), a
 * CLAUDE.md that is a symbolic link to AGENTS.md (the common way to share one file), and Cursor's
 * .cursor/rules with each front-matter kind (Cursor's rules docs), including its unquoted globs.
 */
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';

/** Writes `files` (path → text) into a fresh temp folder; `links` (path → target, relative to the link's folder). */
export function writeTree(files: Record<string, string>, links: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'rules-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  for (const [p, target] of Object.entries(links)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    symlinkSync(target, join(root, p));
  }
  return root;
}

/** A pnpm-style monorepo: root AGENTS.md plus four unrelated nested ones, and source files under each. */
export const MONOREPO: Record<string, string> = {
  'AGENTS.md': '# Repository guidelines\n\nROOT-RULE: run `pnpm test` before you finish.\n',
  'package.json': '{ "private": true, "workspaces": ["packages/*", "apps/*"] }\n',
  'packages/a/AGENTS.md': '# packages/a\n\nA-RULE: this package is ESM only; never use require().\n',
  'packages/a/src/index.ts': 'export const a = 1;\n',
  'packages/b/AGENTS.md': '# packages/b\n\nB-RULE: keep the public API in src/index.ts.\n',
  'packages/b/src/index.ts': 'export const b = 2;\n',
  'apps/web/AGENTS.md': '# apps/web\n\nWEB-RULE: components go in src/components.\n',
  'apps/web/src/main.tsx': 'export {};\n',
  'tools/cli/AGENTS.md': '# tools/cli\n\nCLI-RULE: commands are in src/commands/<name>.ts.\n',
  'tools/cli/src/cli.ts': 'export {};\n',
};

/** Cursor rules as the Cursor docs show them: one of each rule type, and a subfolder. */
export const CURSOR: Record<string, string> = {
  '.cursor/rules/project.mdc': '---\ndescription: Project basics\nglobs:\nalwaysApply: true\n---\nALWAYS-RULE: use pnpm.\n',
  // Unquoted globs, the way Cursor's editor writes them (not valid YAML on its own).
  '.cursor/rules/typescript.mdc': '---\ndescription:\nglobs: *.ts, *.tsx\nalwaysApply: false\n---\nTS-RULE: no `any`.\n',
  '.cursor/rules/frontend/react.mdc': '---\nglobs:\n  - "apps/web/**/*.tsx"\nalwaysApply: false\n---\nREACT-RULE: function components only.\n',
  '.cursor/rules/database.mdc': '---\ndescription: How to write database migrations\nglobs:\nalwaysApply: false\n---\nDB-RULE: migrations are reversible.\n',
  '.cursor/rules/release.mdc': '---\ndescription:\nglobs:\nalwaysApply: false\n---\nMANUAL-RULE: tag releases by hand.\n',
  '.cursorrules': 'LEGACY-RULE: answer in English.\n',
};
