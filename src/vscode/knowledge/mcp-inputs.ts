/**
 * `${input:id}` values for MCP server configs (.vscode/mcp.json `inputs`). Asked with an input
 * box the first time; password inputs are kept in SecretStorage (never settings, never logs: the
 * value is added to the log redactor), others in workspaceState. Keys are scoped to the workspace
 * so one repository's config cannot read a token entered for another.
 * No 'vscode' import: the host passes `window.showInputBox`, `context.secrets` and `workspaceState`.
 */
import { createHash } from 'node:crypto';
import type { McpInputDefinition, McpInputResolver } from '../../core/mcp/types';
import type { SecretStoragePort } from '../secrets';
import type { SecretRegistry } from '../logger';
import type { MementoLike } from './mcp-approval';

export interface InputBoxOptions {
  title: string;
  prompt: string;
  password: boolean;
  value?: string;
  ignoreFocusOut: boolean;
}
export type ShowInputBox = (options: InputBoxOptions) => PromiseLike<string | undefined>;

export interface McpInputDeps {
  showInputBox: ShowInputBox;
  secrets: SecretStoragePort;
  memento: MementoLike;
  redactor: SecretRegistry;
  /** Absolute workspace root ('' without a folder). */
  workspaceRoot: string;
}

export class PromptingMcpInputResolver implements McpInputResolver {
  private readonly scope: string;
  /** One prompt per input id at a time, even when two servers need it. */
  private readonly asking = new Map<string, Promise<string | undefined>>();

  constructor(private readonly deps: McpInputDeps) {
    this.scope = createHash('sha256').update(deps.workspaceRoot).digest('hex').slice(0, 12);
  }

  /** Storage key of an input (SecretStorage for passwords, workspaceState otherwise). */
  keyFor(id: string): string {
    return `agentSessions.mcpInput.${this.scope}.${id}`;
  }

  async resolve(serverName: string, input: McpInputDefinition | undefined, id: string): Promise<string | undefined> {
    const password = input?.password === true;
    const stored = await this.stored(id, password);
    if (stored !== undefined) return stored;
    let pending = this.asking.get(id);
    if (!pending) {
      pending = this.ask(serverName, input, id, password).finally(() => this.asking.delete(id));
      this.asking.set(id, pending);
    }
    return pending;
  }

  /** Forgets a stored value (both stores), so the next start asks again. */
  async forget(id: string): Promise<void> {
    await this.deps.secrets.delete(this.keyFor(id));
    await this.deps.memento.update(this.keyFor(id), undefined);
  }

  private async stored(id: string, password: boolean): Promise<string | undefined> {
    if (password) {
      const v = await this.deps.secrets.get(this.keyFor(id));
      this.deps.redactor.add(v);
      return v;
    }
    const v = this.deps.memento.get<unknown>(this.keyFor(id));
    return typeof v === 'string' ? v : undefined;
  }

  private async ask(serverName: string, input: McpInputDefinition | undefined, id: string, password: boolean): Promise<string | undefined> {
    const value = await this.deps.showInputBox({
      title: `MCP server "${serverName}": ${id}`,
      prompt: `${input?.description ?? `Value for \${input:${id}}`}${password ? ' (kept in Secret Storage)' : ''}`,
      password, ignoreFocusOut: true,
      ...(input?.default !== undefined && !password ? { value: input.default } : {}),
    });
    if (value === undefined) return undefined;
    if (password) {
      this.deps.redactor.add(value);
      await this.deps.secrets.store(this.keyFor(id), value);
    } else {
      await this.deps.memento.update(this.keyFor(id), value);
    }
    return value;
  }
}
