/**
 * Representative `--vscode-*` values of VS Code's default Light Modern, Dark Modern and High
 * Contrast (dark) themes, and a helper that applies one to the test page the way VS Code does:
 * a theme class on <body> and the variables on it (set through CSSOM, which
 * the page's CSP allows, unlike an inline style attribute).
 */
import type { Page } from 'playwright-core';

export type ThemeName = 'light' | 'dark' | 'high-contrast';

const common = {
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
  '--vscode-editor-font-size': '13px',
};

export const THEMES: Record<ThemeName, { bodyClass: string; vars: Record<string, string> }> = {
  light: {
    bodyClass: 'vscode-light',
    vars: {
      ...common,
      '--vscode-foreground': '#3b3b3b', '--vscode-descriptionForeground': '#717171', '--vscode-errorForeground': '#f85149',
      '--vscode-disabledForeground': '#61616180', '--vscode-focusBorder': '#005fb8', '--vscode-icon-foreground': '#3b3b3b',
      '--vscode-widget-border': '#e5e5e5', '--vscode-panel-border': '#e5e5e5', '--vscode-sideBar-background': '#f8f8f8',
      '--vscode-editor-background': '#ffffff', '--vscode-editorWidget-background': '#f8f8f8',
      '--vscode-button-background': '#005fb8', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#0258a8',
      '--vscode-button-border': '#0000001a', '--vscode-button-secondaryBackground': '#e5e5e5', '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-button-secondaryHoverBackground': '#cccccc', '--vscode-input-background': '#ffffff', '--vscode-input-foreground': '#3b3b3b',
      '--vscode-input-border': '#cecece', '--vscode-dropdown-background': '#ffffff', '--vscode-dropdown-foreground': '#3b3b3b',
      '--vscode-dropdown-border': '#cecece', '--vscode-toolbar-hoverBackground': 'rgba(184, 184, 184, 0.31)',
      '--vscode-inputOption-activeBackground': '#bed6ed', '--vscode-inputOption-activeForeground': '#000000', '--vscode-inputOption-activeBorder': '#005fb8',
      '--vscode-badge-background': '#cccccc', '--vscode-badge-foreground': '#3b3b3b', '--vscode-progressBar-background': '#005fb8',
      '--vscode-tab-activeBackground': '#ffffff', '--vscode-tab-activeForeground': '#3b3b3b', '--vscode-tab-inactiveBackground': '#f8f8f8',
      '--vscode-tab-inactiveForeground': '#868686', '--vscode-tab-border': '#e5e5e5', '--vscode-editorWarning-foreground': '#bf8803',
      '--vscode-charts-green': '#388a34', '--vscode-charts-blue': '#1a85ff', '--vscode-testing-iconPassed': '#388a34',
      '--vscode-textLink-foreground': '#005fb8', '--vscode-textLink-activeForeground': '#005fb8', '--vscode-textCodeBlock-background': '#f0f0f0',
      '--vscode-inputValidation-warningBackground': '#f6f5d2', '--vscode-inputValidation-warningBorder': '#b89500',
      '--vscode-inputValidation-errorBackground': '#f2dede', '--vscode-inputValidation-errorBorder': '#be1100',
      '--vscode-inputValidation-infoBackground': '#d6ecf2', '--vscode-notificationsInfoIcon-foreground': '#1a85ff',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      ...common,
      '--vscode-foreground': '#cccccc', '--vscode-descriptionForeground': '#9d9d9d', '--vscode-errorForeground': '#f85149',
      '--vscode-disabledForeground': '#cccccc80', '--vscode-focusBorder': '#0078d4', '--vscode-icon-foreground': '#cccccc',
      '--vscode-widget-border': '#313131', '--vscode-panel-border': '#2b2b2b', '--vscode-sideBar-background': '#181818',
      '--vscode-editor-background': '#1f1f1f', '--vscode-editorWidget-background': '#202020',
      '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#026ec1',
      '--vscode-button-border': '#ffffff12', '--vscode-button-secondaryBackground': '#313131', '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-button-secondaryHoverBackground': '#3c3c3c', '--vscode-input-background': '#313131', '--vscode-input-foreground': '#cccccc',
      '--vscode-input-border': '#3c3c3c', '--vscode-dropdown-background': '#313131', '--vscode-dropdown-foreground': '#cccccc',
      '--vscode-dropdown-border': '#3c3c3c', '--vscode-toolbar-hoverBackground': 'rgba(90, 93, 94, 0.31)',
      '--vscode-inputOption-activeBackground': 'rgba(36, 137, 219, 0.51)', '--vscode-inputOption-activeForeground': '#ffffff', '--vscode-inputOption-activeBorder': '#2488db',
      '--vscode-badge-background': '#616161', '--vscode-badge-foreground': '#f8f8f8', '--vscode-progressBar-background': '#0078d4',
      '--vscode-tab-activeBackground': '#1f1f1f', '--vscode-tab-activeForeground': '#ffffff', '--vscode-tab-inactiveBackground': '#181818',
      '--vscode-tab-inactiveForeground': '#9d9d9d', '--vscode-tab-border': '#2b2b2b', '--vscode-editorWarning-foreground': '#cca700',
      '--vscode-charts-green': '#89d185', '--vscode-charts-blue': '#3794ff', '--vscode-testing-iconPassed': '#73c991',
      '--vscode-textLink-foreground': '#4daafc', '--vscode-textLink-activeForeground': '#4daafc', '--vscode-textCodeBlock-background': '#2b2b2b',
      '--vscode-inputValidation-warningBackground': '#352a05', '--vscode-inputValidation-warningBorder': '#b89500',
      '--vscode-inputValidation-errorBackground': '#5a1d1d', '--vscode-inputValidation-errorBorder': '#be1100',
      '--vscode-inputValidation-infoBackground': '#063b49', '--vscode-notificationsInfoIcon-foreground': '#3794ff',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      ...common,
      '--vscode-foreground': '#ffffff', '--vscode-descriptionForeground': 'rgba(255, 255, 255, 0.7)', '--vscode-errorForeground': '#f48771',
      '--vscode-disabledForeground': '#a5a5a5', '--vscode-focusBorder': '#f38518', '--vscode-contrastBorder': '#6fc3df',
      '--vscode-contrastActiveBorder': '#f38518', '--vscode-icon-foreground': '#ffffff', '--vscode-widget-border': '#6fc3df',
      '--vscode-panel-border': '#6fc3df', '--vscode-sideBar-background': '#000000', '--vscode-editor-background': '#000000',
      '--vscode-editorWidget-background': '#0c141f', '--vscode-button-background': '#000000', '--vscode-button-foreground': '#ffffff',
      '--vscode-button-border': '#6fc3df', '--vscode-button-secondaryBackground': '#000000', '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-input-background': '#000000', '--vscode-input-foreground': '#ffffff', '--vscode-input-border': '#6fc3df',
      '--vscode-dropdown-background': '#000000', '--vscode-dropdown-foreground': '#ffffff', '--vscode-dropdown-border': '#6fc3df',
      '--vscode-inputOption-activeBackground': 'rgba(0, 0, 0, 0)', '--vscode-inputOption-activeBorder': '#6fc3df',
      '--vscode-badge-background': '#000000', '--vscode-badge-foreground': '#ffffff', '--vscode-progressBar-background': '#6fc3df',
      '--vscode-tab-activeBackground': '#000000', '--vscode-tab-activeForeground': '#ffffff', '--vscode-tab-inactiveForeground': '#ffffff',
      '--vscode-tab-border': '#6fc3df', '--vscode-editorWarning-foreground': '#ffd370', '--vscode-charts-green': '#89d185',
      '--vscode-charts-blue': '#3794ff', '--vscode-testing-iconPassed': '#73c991', '--vscode-textLink-foreground': '#21a6ff',
      '--vscode-textLink-activeForeground': '#21a6ff', '--vscode-textCodeBlock-background': '#000000',
      '--vscode-inputValidation-warningBackground': '#000000', '--vscode-inputValidation-warningBorder': '#6fc3df',
      '--vscode-inputValidation-errorBackground': '#000000', '--vscode-inputValidation-errorBorder': '#6fc3df',
      '--vscode-inputValidation-infoBackground': '#000000', '--vscode-notificationsInfoIcon-foreground': '#3794ff',
    },
  },
};

/** Switches the page to `name`: body class plus variables, as VS Code does on a theme change. */
export async function applyTheme(page: Page, name: ThemeName): Promise<void> {
  const theme = THEMES[name];
  await page.evaluate(({ bodyClass, vars, all }) => {
    document.body.classList.remove(...all);
    document.body.classList.add(bodyClass);
    const style = document.body.style;
    for (let i = style.length - 1; i >= 0; i--) if (style[i].startsWith('--vscode-')) style.removeProperty(style[i]);
    for (const [k, v] of Object.entries(vars)) style.setProperty(k, v);
  }, { bodyClass: theme.bodyClass, vars: theme.vars, all: Object.values(THEMES).map((t) => t.bodyClass) });
}
