/**
 * The engine's own tools, which act on sessions rather than on the workspace: spawn_session, run by
 * a ChildCoordinator over the manager's sessions (children.ts).
 */
import type { AnyTool } from '../tools/types';
import { ChildCoordinator, DEFAULT_CHILD_LIMITS, type ChildDefaults, type ChildHost } from './children';
import { createSpawnSessionTool } from '../tools/spawn-session';

/** The engine tools for a manager: none when child sessions are off (`false`), else spawn_session with these limits. */
export function engineTools(childSessions: false | Partial<ChildDefaults> | undefined, host: Omit<ChildHost, 'limits'>): AnyTool[] {
  if (childSessions === false) return [];
  const children = new ChildCoordinator({ ...host, limits: { ...DEFAULT_CHILD_LIMITS, ...childSessions } });
  return [createSpawnSessionTool(children, host.agents ? () => host.agents?.known() ?? [] : undefined) as AnyTool];
}
