/** Fake LLM server for tests: see README.md. */
export { startFakeLlm, type FakeLlm, type FakeLlmOptions } from './server';
export { script, scriptSchema, stepSchema, splitInto, type Script, type Step, type StopReason } from './script';
export {
  builtinResponders,
  credentialOf,
  defaultResponder,
  echoAuthErrorResponder,
  echoResponder,
  interactiveResponder,
  lastToolResult,
  lastUserText,
  toolNames,
  type RecordedRequest,
  type Responder,
} from './responders';
export type { WireFormat } from './render';
