/** The look of a notice strip (host banners, per-session storage notices): only `--vscode-*` variables. */
import { css } from 'lit';

export const noticeStyles = css`
  .notice { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; padding: 4px 8px;
    background: var(--vscode-inputValidation-warningBackground, var(--vscode-editorWidget-background));
    border-bottom: 1px solid var(--vscode-inputValidation-warningBorder, var(--vscode-widget-border, transparent)); }
  .notice[data-severity='error'] { background: var(--vscode-inputValidation-errorBackground, var(--vscode-editorWidget-background));
    border-color: var(--vscode-inputValidation-errorBorder, transparent); }
  .notice[data-severity='info'] { background: var(--vscode-inputValidation-infoBackground, var(--vscode-editorWidget-background)); }
  .message { flex: 1 1 14em; }
  .notice > .codicon { color: var(--vscode-editorWarning-foreground, var(--vscode-foreground)); }
  .notice[data-severity='error'] > .codicon { color: var(--vscode-errorForeground); }
  .notice[data-severity='info'] > .codicon { color: var(--vscode-notificationsInfoIcon-foreground, var(--vscode-foreground)); }
`;
