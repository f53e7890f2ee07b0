/**
 * Drafting a commit message for a worktree's uncommitted changes with the session's own provider
 * and model: one side request (side-question.ts's askModel), outside the session's history, that
 * records nothing. The answer is cleaned into a plain message: a subject line, a blank line, a
 * short body.
 */
import type { SessionData } from '../session/reducer';
import type { TurnEnv } from '../session/turn-host';
import { AgentError } from '../base/errors';
import { askModel } from '../session/side-question';

/** Characters of the worktree's changes shown to the model (`git diff --stat` plus a capped diff). */
export const MAX_DESCRIBED_CHARS = 16_000;
/** Longest subject line kept (git's convention is ≤ 72). */
const MAX_SUBJECT = 72;
/** Longest message kept. */
const MAX_MESSAGE = 4_000;

const SYSTEM = [
  'You write git commit messages. Reply with the commit message only: a subject line of at most 72 characters in the imperative mood',
  '("Fix …", "Add …"), then a blank line, then a short body (one to five lines) saying what changed and why.',
  'No code fences, no quotes around it, no preamble.',
].join(' ');

/** Strips what models wrap messages in: code fences, a "Commit message:" label, quotes around the whole or the subject. */
export function cleanCommitMessage(raw: string): string {
  let text = raw.replace(/\r\n?/g, '\n').trim();
  const fenced = /^```[^\n]*\n([\s\S]*?)\n?```$/.exec(text);
  if (fenced) text = fenced[1].trim();
  text = text.replace(/^```[^\n]*\n?/gm, '').replace(/^(?:commit message|subject)\s*:\s*/i, '').trim();
  const quotes: Array<[string, string]> = [['"', '"'], ["'", "'"], ['`', '`'], ['“', '”']];
  for (const [open, close] of quotes) {
    if (text.length > 1 && text.startsWith(open) && text.endsWith(close)) { text = text.slice(open.length, -close.length).trim(); break; }
  }
  const [first = '', ...rest] = text.split('\n');
  let subject = first.trim();
  for (const [open, close] of quotes) {
    if (subject.length > 1 && subject.startsWith(open) && subject.endsWith(close)) { subject = subject.slice(open.length, -close.length).trim(); break; }
  }
  if (subject.length > MAX_SUBJECT) subject = `${subject.slice(0, MAX_SUBJECT - 1).trimEnd()}…`;
  const body = rest.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return (body ? `${subject}\n\n${body}` : subject).slice(0, MAX_MESSAGE);
}

/**
 * A commit message for `described` (the worktree's changes as git describes them), from the
 * session's model. AgentError('invalid_state') when there is nothing to describe or the model
 * gave no usable answer; 'cancelled' on abort; provider errors as they come.
 */
export async function draftCommitMessage(data: Pick<SessionData, 'config' | 'title'>, env: TurnEnv, described: string, signal?: AbortSignal): Promise<string> {
  if (!described.trim()) throw new AgentError('invalid_state', 'The worktree has no uncommitted changes, so there is nothing to write a commit message for.');
  const prompt = `The session "${data.title}" made these changes in its worktree:\n\n${described.slice(0, MAX_DESCRIBED_CHARS)}\n\nWrite the commit message for them.`;
  const answer = await askModel(data, env, SYSTEM, prompt, signal ? { signal } : {}, 'Drafting the commit message was cancelled.');
  const message = cleanCommitMessage(answer);
  if (!message) throw new AgentError('invalid_state', 'The model gave no commit message. Try again, or write one yourself.');
  return message;
}
