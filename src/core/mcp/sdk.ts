/** The lazily loaded SDK module's shape (type-only: erased at build time). */
export type McpSdk = typeof import('./mcp-sdk.vendor');

let cached: Promise<McpSdk> | undefined;

/** Loads the MCP SDK once, on first use (dist/vendor/mcp-sdk.js in the built extension). */
export function loadMcpSdk(): Promise<McpSdk> {
  cached ??= import('./mcp-sdk.vendor');
  return cached;
}
