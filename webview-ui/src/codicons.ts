/**
 * Codicons inside shadow roots. The host page links dist/codicon.css (id
 * `vscode-codicon-stylesheet`); its `@font-face` is document-wide, so shadow trees can use the
 * `codicon` font, but its `.codicon-*` class rules do not reach into shadow DOM. We cannot copy
 * the linked sheet's rules either: in VS Code it is served from another origin
 * (vscode-resource), so `cssRules` throws. Instead every element adopts this one shared
 * constructable stylesheet (Lit `css`), which declares only the icons we use. The code points are
 * the stable ones from @vscode/codicons (test/webview/codicons.test.ts checks them against the
 * installed codicon.css, so an upgrade that moved one fails a test instead of showing a box).
 */
import { css, html, unsafeCSS, type TemplateResult } from 'lit';

/** Icon name → code point in the codicon font. */
export const CODICONS = {
  add: 0xea60,
  close: 0xea76,
  edit: 0xea73,
  trash: 0xea81,
  'debug-pause': 0xead1,
  'debug-continue': 0xeacf,
  'debug-stop': 0xead7,
  fold: 0xeaf5,
  book: 0xeaa4,
  'comment-discussion': 0xeac7,
  copy: 0xebcc,
  loading: 0xeb19,
  check: 0xeab2,
  error: 0xea87,
  'circle-slash': 0xeabd,
  shield: 0xeb53,
  lightbulb: 0xea61,
  refresh: 0xeb37,
  diff: 0xeae1,
  send: 0xec0f,
  warning: 0xea6c,
  info: 0xea74,
  eye: 0xea70,
  'circle-filled': 0xea71,
  'type-hierarchy-sub': 0xebba,
  tools: 0xeb6d,
  robot: 0xec20,
  'chevron-right': 0xeab6,
  lock: 0xea75,
  unlock: 0xeb74,
  history: 0xea82,
  'repo-forked': 0xea63,
  redo: 0xebb0,
  files: 0xeaf0,
  discard: 0xeae2,
  'git-branch': 0xec6f,
  'git-commit': 0xeafc,
  'git-merge': 0xeafe,
  terminal: 0xea85,
  output: 0xeb9d,
} as const satisfies Record<string, number>;

export type CodiconName = keyof typeof CODICONS;

const glyphRules = Object.entries(CODICONS)
  .map(([name, cp]) => `.codicon-${name}::before { content: "\\${cp.toString(16)}"; }`)
  .join('\n');

/** The `.codicon` base rule (as in codicon.css), a spin modifier and one rule per icon we use. */
export const codiconStyles = css`
  .codicon {
    font: normal normal normal 16px/1 codicon; display: inline-block; flex: none; text-decoration: none; text-rendering: auto;
    text-align: center; -webkit-font-smoothing: antialiased; user-select: none; -webkit-user-select: none; vertical-align: text-bottom;
  }
  .codicon.small { font-size: 14px; }
  .codicon-modifier-spin { animation: as-codicon-spin 1s steps(30) infinite; }
  @keyframes as-codicon-spin { 100% { transform: rotate(360deg); } }
  @media (prefers-reduced-motion: reduce) { .codicon-modifier-spin { animation: none; } }
  ${unsafeCSS(glyphRules)}
`;

/**
 * An icon span. Always `aria-hidden`: the control around it carries the accessible name
 * (CSS generated content would otherwise leak a private-use character into it).
 * `name` may end in `~spin` (VS Code's `$(loading~spin)` syntax).
 */
export function icon(name: CodiconName | `${CodiconName}~spin`, options: { small?: boolean } = {}): TemplateResult {
  const [base, modifier] = name.split('~') as [CodiconName, string | undefined];
  const cls = `codicon codicon-${base}${modifier === 'spin' ? ' codicon-modifier-spin' : ''}${options.small ? ' small' : ''}`;
  return html`<span class=${cls} aria-hidden="true"></span>`;
}
