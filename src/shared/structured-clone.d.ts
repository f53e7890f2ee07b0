/**
 * `structuredClone` exists in every runtime this layer runs in (the extension host's Node and
 * the webview's Chromium) but is declared only by lib.dom and @types/node, which this layer's
 * tsconfig leaves out on purpose (no DOM, no Node in shared code).
 */
declare function structuredClone<T>(value: T): T;
