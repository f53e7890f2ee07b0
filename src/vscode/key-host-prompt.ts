/** VS Code's modal asked before a key goes to a host other than the one it was set for (key-binding.ts). */
import * as vscode from 'vscode';
import type { KeyHostAnswer, KeyHostPrompt } from './key-binding';

const SEND_ONCE = 'Send once';
const ALWAYS = 'Always for this host';
const DONT = "Don't send";

/** The modal asked before a key goes to a host other than the one it was set for. */
export const vscodeKeyHostPrompt: KeyHostPrompt = async (q) => {
  const pick = await vscode.window.showWarningMessage(`Send your ${q.label} key to ${q.targetHost}?`, {
    modal: true,
    detail: `It was set for ${q.keyHost}. A session, agent or setting now sends ${q.label} requests to ${q.targetHost}. `
      + `"${SEND_ONCE}" sends it there until this window closes; "${ALWAYS}" binds the key to ${q.targetHost} instead.`,
  }, SEND_ONCE, ALWAYS, DONT);
  const answers: Record<string, KeyHostAnswer> = { [SEND_ONCE]: 'once', [ALWAYS]: 'always', [DONT]: 'deny' };
  return pick ? answers[pick] : undefined;
};
