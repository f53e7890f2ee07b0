import type { ToolSpec } from '../providers/types';
import { toDisposable, type IDisposable } from '../base/disposable';
import { AgentError } from '../base/errors';
import { Emitter, type Event } from '../base/emitter';
import type { AnyTool, ToolRegistryLike } from './types';

/**
 * The tools sessions may call: built-ins, MCP tools (which come and go), spawn_session …
 * Names are unique; registering returns a disposable that removes exactly that registration.
 */
export class ToolRegistry implements ToolRegistryLike {
  private readonly tools = new Map<string, AnyTool>();
  private readonly onDidChangeEmitter = new Emitter<void>();
  /** Fires after a tool is registered or removed. */
  readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

  constructor(initial: readonly AnyTool[] = []) {
    for (const tool of initial) this.register(tool);
  }

  /** Adds a tool; throws `bad_request` if the name is taken. */
  register(tool: AnyTool): IDisposable {
    if (this.tools.has(tool.name)) throw new AgentError('bad_request', `A tool named ${tool.name} is already registered.`);
    this.tools.set(tool.name, tool);
    this.onDidChangeEmitter.fire();
    return toDisposable(() => {
      // Only remove our own registration: a later tool of the same name stays.
      if (this.tools.get(tool.name) === tool) this.unregister(tool.name);
    });
  }

  /** Removes a tool by name; returns whether it existed. */
  unregister(name: string): boolean {
    const had = this.tools.delete(name);
    if (had) this.onDidChangeEmitter.fire();
    return had;
  }

  get(name: string): AnyTool | undefined {
    return this.tools.get(name);
  }

  list(): AnyTool[] {
    return [...this.tools.values()];
  }

  /** Specs for the model, filtered by a session allowlist (undefined = all). Order is registration order. */
  specs(allowed?: readonly string[]): ToolSpec[] {
    const allow = allowed ? new Set(allowed) : undefined;
    return this.list()
      .filter((t) => !allow || allow.has(t.name))
      .map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema }));
  }

  dispose(): void {
    this.tools.clear();
    this.onDidChangeEmitter.dispose();
  }
}
