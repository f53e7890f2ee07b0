/**
 * The Anthropic SDK, bundled separately (scripts/build.mjs) and loaded on the first request only:
 * `await import('./anthropic.vendor')`. Nothing else may import '@anthropic-ai/sdk' at runtime.
 */
export { Anthropic, APIConnectionError, APIUserAbortError } from '@anthropic-ai/sdk';
