/** Shared element styles: only `--vscode-*` variables, so light, dark and high-contrast themes just work. */
import { css } from 'lit';
import { codiconStyles } from './codicons';

/** Every element adopts these (one shared constructable stylesheet each, not a copy per element). */
export const baseStyles = [codiconStyles, css`
  :host { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); }
  button {
    font: inherit; color: var(--vscode-button-foreground); background: var(--vscode-button-background);
    border: 1px solid var(--vscode-button-border, transparent); border-radius: 2px; padding: 2px 8px; cursor: pointer;
  }
  button:hover:not(:disabled) { background: var(--vscode-button-hoverBackground); }
  button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
  button.secondary:hover:not(:disabled) { background: var(--vscode-button-secondaryHoverBackground); }
  button { display: inline-flex; align-items: center; justify-content: center; gap: 4px; }
  /* Icon-only buttons look like VS Code's toolbar actions. */
  button.icon { background: transparent; color: var(--vscode-icon-foreground, var(--vscode-foreground)); padding: 2px; min-width: 22px; min-height: 22px;
    border: 1px solid transparent; border-radius: 5px; }
  button.icon:hover:not(:disabled) { background: var(--vscode-toolbar-hoverBackground, transparent); outline: 1px dashed var(--vscode-contrastActiveBorder, transparent); outline-offset: -1px; }
  button.icon[aria-pressed='true'] { background: var(--vscode-inputOption-activeBackground, var(--vscode-toolbar-activeBackground, transparent));
    color: var(--vscode-inputOption-activeForeground, inherit); border-color: var(--vscode-inputOption-activeBorder, transparent); }
  button:disabled { opacity: 0.5; cursor: default; }
  button:focus-visible, select:focus-visible, textarea:focus-visible, input:focus-visible, [tabindex]:focus-visible {
    outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px;
  }
  select, input, textarea {
    font: inherit; color: var(--vscode-input-foreground); background: var(--vscode-input-background);
    border: 1px solid var(--vscode-input-border, var(--vscode-widget-border, transparent)); border-radius: 2px; padding: 2px 4px;
  }
  select { color: var(--vscode-dropdown-foreground); background: var(--vscode-dropdown-background); border-color: var(--vscode-dropdown-border, transparent); }
  .muted { color: var(--vscode-descriptionForeground); }
  .error { color: var(--vscode-errorForeground); }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`];
