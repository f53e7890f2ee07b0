/**
 * Runtime validation of every inbound (webview → host) message. The webview is untrusted:
 * a prompt-injected page script could post anything, so each field is typed, bounded and
 * unknown keys are refused. `parseWebviewMessage` never throws; a failure is a `bad_request`
 * SerializedError (with the request id when one could be read, so the host can reply to it).
 */
import { z } from 'zod';
import { printable, ruleScopeSchema as scope, webviewConfigPatchSchema, webviewNewSessionFields } from './config-schema';
import { isWindowsDeviceName } from './device-names';
import type { SerializedError } from './errors';
import { PROTOCOL_LIMITS as L } from './protocol-constants';
import type { MethodName, ParamsOf, WebviewMessage } from './protocol';

/**
 * Ids minted by the engine (sessions, approvals, prompts): path-safe, never `__proto__`-like, never
 * a Windows device name (`CON`, `nul.jsonl`: a session file named so is a device on Windows).
 */
const id = z.string().min(1).max(L.id).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'not a valid id')
  .refine((v) => !isWindowsDeviceName(v), 'not a valid id: a Windows device name (CON, NUL, COM1 …)');
/** Request ids are minted by the webview: any short printable string. */
const requestId = z.string().min(1).max(L.id).regex(/^[\x21-\x7e]+$/, 'not a valid request id');
const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const sessionRef = { sessionId: id };
const empty = z.strictObject({});
const restoreScope = z.enum(['files', 'conversation', 'both']);
/** A git base for a new worktree (branch, tag, commit, `HEAD~2`): never starts with `-` (no option injection); core checks it again with git. */
const gitRef = z.string().min(1).max(200).regex(/^[A-Za-z0-9_][A-Za-z0-9._/@^~{}+-]*$/, 'not a branch, tag or commit name');
const workspaceChoice = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('shared') }),
  z.strictObject({ kind: z.literal('worktree'), base: gitRef.optional(), carry: z.enum(['copy', 'clean']).optional() }),
]);

/** Params schema per method. `satisfies` keeps each one in step with ProtocolMethods. */
export const methodParamSchemas = {
  'sessions.list': empty,
  'sessions.create': z.strictObject({
    ...webviewNewSessionFields,
    title: printable(L.title).optional(),
    parentId: id.optional(),
    workspace: workspaceChoice.optional(),
    agent: printable(L.name).optional(),
  }),
  'sessions.open': z.strictObject({ ...sessionRef, limit: z.number().int().min(1).max(L.pageSize).optional() }),
  'sessions.transcript': z.strictObject({
    ...sessionRef,
    beforeSeq: seq.optional(),
    limit: z.number().int().min(1).max(L.pageSize).optional(),
  }),
  'sessions.rename': z.strictObject({ ...sessionRef, title: printable(L.title) }),
  'sessions.delete': z.strictObject({
    ...sessionRef, children: z.enum(['delete', 'keep']).optional(), worktree: z.enum(['keep', 'remove-worktree', 'remove-all']).optional(),
  }),
  'sessions.send': z.strictObject({ ...sessionRef, text: z.string().min(1).max(L.prompt) }),
  'sessions.removeQueued': z.strictObject({ ...sessionRef, promptId: id }),
  'sessions.pause': z.strictObject(sessionRef),
  'sessions.resume': z.strictObject(sessionRef),
  'sessions.cancel': z.strictObject(sessionRef),
  'sessions.compact': z.strictObject(sessionRef),
  'sessions.retry': z.strictObject({ ...sessionRef, action: z.enum(['now', 'wait']) }),
  'sessions.takeOver': z.strictObject(sessionRef),
  'sessions.updateConfig': z.strictObject({
    ...sessionRef,
    // The same field rules as core's parseConfigPatch (src/shared/config-schema.ts).
    patch: webviewConfigPatchSchema,
  }),
  'sessions.ask': z.strictObject({
    ...sessionRef,
    // Refused here (not only in core) so a blank question never reaches the manager.
    question: z.string().max(L.question).refine((q) => q.trim().length > 0, 'The side question is empty. Type a question about this session.'),
  }),
  'approvals.resolve': z.strictObject({
    ...sessionRef,
    approvalId: id,
    decision: z.enum(['approve', 'deny']),
    reason: z.string().max(L.reason).optional(),
    alwaysAllow: z.strictObject({ pattern: printable(L.rulePattern), scope, confirmBroad: z.boolean().optional() }).optional(),
  }).refine((p) => p.alwaysAllow === undefined || p.decision === 'approve', {
    message: 'alwaysAllow only goes with decision "approve"',
    path: ['alwaysAllow'],
  }),
  'approvals.viewDiff': z.strictObject({ ...sessionRef, approvalId: id }),
  'changes.preview': z.strictObject({ ...sessionRef, key: id, scope: restoreScope }),
  'changes.restore': z.strictObject({ ...sessionRef, key: id, scope: restoreScope, overwrite: z.array(printable(L.href)).max(10_000) }),
  'changes.redo': z.strictObject({ ...sessionRef, restoreId: id, overwrite: z.array(printable(L.href)).max(10_000) }),
  'changes.show': z.strictObject({ ...sessionRef, path: printable(L.href).optional() }),
  'sessions.fork': z.strictObject({ ...sessionRef, key: id }),
  'events.since': z.strictObject({ ...sessionRef, afterSeq: seq }),
  'links.open': z.strictObject({ href: printable(L.href), sessionId: id.optional() }),
  'knowledge.get': z.strictObject(sessionRef),
  'mcp.list': empty,
  'mcp.action': z.strictObject({ name: printable(L.name), action: z.enum(['restart', 'enable', 'disable', 'allow']) }),
  'workspaceRules.get': empty,
  'workspaceRules.decide': z.strictObject({ hash: z.string().regex(/^[0-9a-f]{64}$/, 'not a rules hash'), decision: z.enum(['allow', 'ignore']) }),
  'workspaceRules.forget': z.strictObject({ action: z.enum(['allow', 'deny', 'ask']), pattern: printable(L.rulePattern) }),
  'worktrees.support': empty,
  'worktrees.status': z.strictObject(sessionRef),
  'worktrees.action': z.strictObject({ ...sessionRef, action: z.enum(['apply', 'commit', 'openScm', 'discard']), mode: z.enum(['merge', 'patch']).optional() }),
  'sessions.terminal': z.strictObject({ ...sessionRef, follow: z.boolean().optional() }),
  'questions.answer': z.strictObject({
    ...sessionRef, questionId: id, action: z.enum(['accept', 'decline', 'cancel']),
    content: z.record(z.string().min(1).max(L.name), z.union([z.string().max(L.prompt), z.number(), z.boolean(), z.array(z.string().max(L.name)).max(100)]))
      .refine((r) => Object.keys(r).length <= 100, 'at most 100 fields').optional(),
  }),
  'mcp.prompts': z.strictObject(sessionRef),
  'mcp.prompt': z.strictObject({
    ...sessionRef, server: printable(L.name), name: printable(L.name),
    args: z.record(z.string().min(1).max(L.name), z.string().max(L.prompt)).refine((r) => Object.keys(r).length <= 50, 'at most 50 arguments'),
  }),
  'agents.list': empty,
  'memory.undo': z.strictObject({ ...sessionRef, callId: id, entryId: id }),
  'memory.open': empty,
  'providers.list': empty,
  'models.list': z.strictObject({ providerId: printable(L.name), refresh: z.boolean().optional() }),
  'providers.presets': empty,
  'providers.probe': empty,
  'host.info': empty,
  'host.runAction': z.strictObject({
    action: z.enum(['trustWorkspace', 'setApiKey', 'openSettings', 'openLogs', 'switchWindow', 'exportMarkdown', 'exportLog', 'addPreset']),
    providerId: printable(L.name).optional(),
    sessionId: id.optional(),
    presetId: printable(L.name).optional(),
  }),
} satisfies { [M in MethodName]: z.ZodType<ParamsOf<M>> };

const methodNames = Object.keys(methodParamSchemas) as [MethodName, ...MethodName[]];

const readySchema = z.strictObject({
  kind: z.literal('ready'),
  protocolVersion: z.number().int().min(0),
  visibleSessionId: id.optional(),
});
const requestEnvelope = z.strictObject({
  kind: z.literal('request'),
  id: requestId,
  method: z.enum(methodNames),
  // Checked per method below, so the error can name the method.
  params: z.unknown(),
});
const cancelSchema = z.strictObject({ kind: z.literal('cancel'), id: requestId });
const visibleSchema = z.strictObject({ kind: z.literal('visible'), sessionId: id.nullable() });

/** The envelope union (request params checked separately by `parseWebviewMessage`). */
export const webviewMessageSchema = z.discriminatedUnion('kind', [readySchema, requestEnvelope, cancelSchema, visibleSchema]);

export type ParseResult =
  | { ok: true; message: WebviewMessage }
  | { ok: false; error: SerializedError; /** The request id, when the envelope had a readable one. */ id?: string };

function badRequest(message: string, requestIdValue?: string): ParseResult {
  return {
    ok: false,
    error: { code: 'bad_request', message, retryable: false },
    ...(requestIdValue !== undefined ? { id: requestIdValue } : {}),
  };
}

function describe(error: z.ZodError, prefix: string): string {
  const parts = error.issues.slice(0, 3).map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(message)'}: ${i.message}`);
  return `Malformed webview message: ${parts.join('; ')}${error.issues.length > 3 ? ` (+${error.issues.length - 3} more)` : ''}`;
}

/** A request id readable from a raw value, so even a malformed request gets its reply. */
function readRequestId(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const value = (raw as { id?: unknown }).id;
  return requestId.safeParse(value).success ? (value as string) : undefined;
}

/**
 * Validates a raw message from the webview. Never throws: anything malformed (wrong shape,
 * unknown method or key, oversized string, bad id) is `{ ok: false, error: bad_request }`.
 */
export function parseWebviewMessage(raw: unknown): ParseResult {
  try {
    const envelope = webviewMessageSchema.safeParse(raw);
    if (!envelope.success) return badRequest(describe(envelope.error, ''), readRequestId(raw));
    const message = envelope.data;
    if (message.kind !== 'request') return { ok: true, message };
    const params = methodParamSchemas[message.method].safeParse(message.params);
    if (!params.success) return badRequest(describe(params.error, 'params'), message.id);
    return { ok: true, message: { kind: 'request', id: message.id, method: message.method, params: params.data } as WebviewMessage };
  } catch (err) {
    // zod does not throw on safeParse, but a hostile object (e.g. a throwing getter or a proxy) could.
    return badRequest(`Malformed webview message: ${err instanceof Error ? err.name : 'unreadable'}`, undefined);
  }
}
