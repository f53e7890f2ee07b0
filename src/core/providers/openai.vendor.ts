/**
 * The OpenAI SDK, bundled separately (scripts/build.mjs) and loaded on the first request only:
 * `await import('./openai.vendor')`. Nothing else may import 'openai' at runtime.
 */
export { OpenAI, APIConnectionError, APIUserAbortError } from 'openai';
