/**
 * Every runtime import of @modelcontextprotocol/sdk goes through this file. scripts/build.mjs
 * bundles it as dist/vendor/mcp-sdk.js and rewrites `import('./mcp-sdk.vendor')` to load it
 * lazily, so the SDK stays out of extension activation. Type-only imports elsewhere are fine.
 */
export { Client } from '@modelcontextprotocol/sdk/client/index.js';
export { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
export { SSEClientTransport, SseError } from '@modelcontextprotocol/sdk/client/sse.js';
export { deserializeMessage, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
export { CallToolResultSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
export { DEFAULT_INHERITED_ENV_VARS } from '@modelcontextprotocol/sdk/client/stdio.js';
export { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
