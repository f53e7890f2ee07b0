/**
 * Runtime constants of the host ⇄ webview protocol. Kept apart from protocol.ts (which
 * holds the zod schemas) so the webview bundle can import them without pulling in zod.
 */

/** Bumped on any incompatible change of messages or methods. The host refuses other versions. */
export const PROTOCOL_VERSION = 1;

/** Size caps enforced on every inbound (webview → host) message. Lengths are in UTF-16 code units. */
export const PROTOCOL_LIMITS = {
  /** A prompt (sessions.send): 1 MiB of text. */
  prompt: 1024 * 1024,
  /** Session, approval, prompt and request ids. */
  id: 128,
  title: 200,
  /** Provider profile ids and model names. */
  name: 200,
  /** Deny reason sent back to the model. */
  reason: 10_000,
  /** An "always allow" rule pattern. */
  rulePattern: 1_000,
  /** A link the user clicked. */
  href: 8_192,
  /** Entries per transcript page. */
  pageSize: 500,
  /** A side question (sessions.ask); core refuses longer ones too. */
  question: 10_000,
  /** A rules-file id (`<kind>:<workspace-relative path>`). */
  ruleId: 2_000,
  /** Entries in one per-session switch list (disabledRuleIds, skillOverrides, disabledMcpServers). */
  switches: 1_000,
} as const;

/** Default timeout of a webview request, ms (the host may take long for compaction, so that one is longer). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** How many transcript entries `sessions.open` and the snapshot carry by default. */
export const DEFAULT_TAIL_ENTRIES = 100;
