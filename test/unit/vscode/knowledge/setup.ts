/** Builds the host's knowledge (compose.ts, as host.ts does through vscode-ports.ts) over fakes. */
import { join } from 'node:path';
import { nullLogger } from '../../../../src/core/ports';
import { composeKnowledge, type VsCodeKnowledge } from '../../../../src/vscode/knowledge/compose';
import { SecretRegistry } from '../../../../src/vscode/logger';
import type { SettingInspection } from '../../../../src/vscode/settings';
import { WorkspaceTrustState } from '../../../../src/vscode/trust';
import { FakeMemento, FakeSecretStorage, FakeTrust, FakeWatchers } from './fakes';

export const SERVER = join(import.meta.dirname, '..', '..', 'mcp', 'servers', 'test-server.mjs');

export function mcpJson(args: string[] = [], name = 'srv'): string {
  return JSON.stringify({ mcpServers: { [name]: { command: process.execPath, args: [SERVER, ...args] } } });
}

export interface Setup extends VsCodeKnowledge {
  watchers: FakeWatchers;
  trustPort: FakeTrust;
  trust: WorkspaceTrustState;
  memento: FakeMemento;
  secrets: FakeSecretStorage;
  redactor: SecretRegistry;
  /** Messages of the modal MCP start dialog, in order. */
  asked: string[];
}

export interface SetupOptions {
  trusted?: boolean;
  /** What the modal dialog answers ('Allow', "Don't allow", undefined = dismissed), or a function of its message. */
  answer?: string | undefined | ((message: string) => string | undefined);
  memento?: FakeMemento;
  settings?: SettingInspection;
  userSkillsFolder?: string;
}

export function setup(root: string | undefined, o: SetupOptions = {}): Setup {
  const watchers = new FakeWatchers();
  const trustPort = new FakeTrust(o.trusted ?? true);
  const trust = new WorkspaceTrustState(trustPort);
  const memento = o.memento ?? new FakeMemento();
  const secrets = new FakeSecretStorage();
  const redactor = new SecretRegistry();
  const asked: string[] = [];
  const answer = 'answer' in o ? o.answer : 'Allow';
  const parts = composeKnowledge({
    createWatcher: watchers.factory,
    showModalWarning: async (message) => { asked.push(message); return typeof answer === 'function' ? answer(message) : answer; },
    showInputBox: async () => 'typed',
    secrets, workspaceState: memento, trust, redactor, logger: nullLogger,
    workspaceRoot: root, userSkillsFolder: o.userSkillsFolder ?? '',
    inspectMcpSettings: () => o.settings,
    mcpOptions: { backoff: { initialMs: 100, maxMs: 200 } },
    watchCoalesceMs: 10, configDebounceMs: 20,
  });
  return { ...parts, watchers, trustPort, trust, memento, secrets, redactor, asked };
}
