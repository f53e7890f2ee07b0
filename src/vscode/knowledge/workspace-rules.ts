/**
 * Workspace permission rules that only the user decides, kept in the extension's own workspace
 * storage (`ExtensionContext.workspaceState`), never in a file the repository can ship:
 * - "always allow" rules saved with workspace scope (they used to go to .vscode/settings.json,
 *   where a repository could ship `allow run_command(*)` of its own);
 * - the user's answer about the allow rules found in the committed workspace settings
 *   (`agentSessions.permissionRules` workspace/folder values), pinned by the SHA-256 of that list:
 *   a changed list is pending again and grants nothing until answered.
 * No 'vscode' import: the host passes `context.workspaceState`.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AgentError } from '../../core/base/errors';
import type { RuleSink } from '../../core/approval/types';
import type { WorkspaceRulesInfo } from '../../shared/protocol';
import type { PermissionRule } from '../../shared/session';
import type { RulesSetting, SettingsRead, WorkspaceRuleGrants } from '../settings';
import type { WorkspaceRulesPort } from '../webview/ports';
import type { MementoLike } from './mcp-approval';

/** workspaceState key of the rules saved for this workspace: `{ allow, deny, ask }` pattern lists. */
export const SAVED_RULES_KEY = 'agentSessions.workspaceRules';
/** workspaceState key of the answer about the workspace settings' allow rules: `{ hash, decision }`. */
export const SETTINGS_DECISION_KEY = 'agentSessions.workspaceSettingsRules';

type Action = PermissionRule['action'];
const ACTIONS: readonly Action[] = ['allow', 'deny', 'ask'];

// Our own storage, but read defensively: a damaged value means "nothing saved, nothing confirmed".
const savedSchema = z.object({ allow: z.array(z.string().min(1)), deny: z.array(z.string().min(1)), ask: z.array(z.string().min(1)) });
const decisionSchema = z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/), decision: z.enum(['allow', 'ignore']) });

const empty = (): RulesSetting => ({ allow: [], deny: [], ask: [] });

/** The content hash of an allow list: order and duplicates do not matter, any other change does. */
export function allowListHash(allow: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify([...new Set(allow)].sort())).digest('hex');
}

export type WorkspaceRulesState = WorkspaceRulesInfo['state'];

export class WorkspaceRuleStore {
  constructor(private readonly memento: MementoLike) {}

  /** Rules saved with "always allow" for this workspace. */
  saved(): RulesSetting {
    const r = savedSchema.safeParse(this.memento.get<unknown>(SAVED_RULES_KEY));
    return r.success ? r.data : empty();
  }

  async save(rule: Pick<PermissionRule, 'action' | 'pattern'>): Promise<void> {
    const current = this.saved();
    if (current[rule.action].includes(rule.pattern)) return;
    await this.memento.update(SAVED_RULES_KEY, { ...current, [rule.action]: [...current[rule.action], rule.pattern] });
  }

  /** False when no such rule was saved. */
  async removeSaved(action: Action, pattern: string): Promise<boolean> {
    const current = this.saved();
    if (!current[action].includes(pattern)) return false;
    await this.memento.update(SAVED_RULES_KEY, { ...current, [action]: current[action].filter((p) => p !== pattern) });
    return true;
  }

  /** Where the user stands on this allow list (from the workspace settings). */
  state(allow: readonly string[]): { hash: string; state: WorkspaceRulesState } {
    if (allow.length === 0) return { hash: '', state: 'none' };
    const hash = allowListHash(allow);
    const d = decisionSchema.safeParse(this.memento.get<unknown>(SETTINGS_DECISION_KEY));
    if (!d.success || d.data.hash !== hash) return { hash, state: 'pending' };
    return { hash, state: d.data.decision === 'allow' ? 'allowed' : 'ignored' };
  }

  /**
   * Records the answer for the list the user saw (`hash`). A hash that is not the current list's
   * (the settings changed under an open panel) is refused: an answer never carries over to a list
   * the user did not see.
   */
  async decide(allow: readonly string[], hash: string, decision: 'allow' | 'ignore'): Promise<void> {
    if (allow.length === 0) throw new AgentError('invalid_state', 'The workspace settings hold no allow rules to decide on.');
    if (hash !== allowListHash(allow)) {
      throw new AgentError('invalid_state', 'The allow rules in the workspace settings changed since they were shown. Review the new list.');
    }
    await this.memento.update(SETTINGS_DECISION_KEY, { hash, decision });
  }

  /** What the permission engine may use (settings.ts hostRulesFrom). */
  grants(allow: readonly string[]): WorkspaceRuleGrants {
    return { workspaceAllowConfirmed: this.state(allow).state === 'allowed', saved: this.saved() };
  }
}

/**
 * The engine's RuleSink: "always allow" for the workspace goes to the store; for the user to
 * user settings (`saveUserRule`, a file no repository ships). Session rules never get here.
 */
export class HostRuleSink implements RuleSink {
  constructor(private readonly store: WorkspaceRuleStore, private readonly saveUserRule: (rule: PermissionRule) => Promise<void>) {}

  async saveRule(rule: PermissionRule): Promise<void> {
    if (rule.scope === 'session') return; // kept in the session's own config by the manager
    if (rule.scope === 'workspace') await this.store.save(rule);
    else await this.saveUserRule(rule);
  }
}

export interface WorkspaceRulesSource {
  store: WorkspaceRuleStore;
  /** The permission rules as the settings reader has them now. */
  rules(): SettingsRead['rules'];
  trusted(): boolean;
  /** A decision or removal happened: other views and the host's notices follow. */
  onChange(): void;
}

/** The Context panel's view of the workspace rules (the router's WorkspaceRulesPort). */
export function createWorkspaceRulesPort(src: WorkspaceRulesSource): WorkspaceRulesPort {
  const suggestions = (): { workspace: RulesSetting; allow: string[] } => {
    const workspace = src.trusted() ? src.rules().workspace : empty();
    return { workspace, allow: [...new Set(workspace.allow)] };
  };
  const info = (): WorkspaceRulesInfo => {
    const { workspace, allow } = suggestions();
    const { hash, state } = src.store.state(allow);
    const saved = src.store.saved();
    return {
      suggested: allow, hash, state,
      restricting: [
        ...workspace.deny.map((pattern) => ({ action: 'deny' as const, pattern })),
        ...workspace.ask.map((pattern) => ({ action: 'ask' as const, pattern })),
      ],
      saved: ACTIONS.flatMap((action) => saved[action].map((pattern) => ({ action, pattern }))),
      workspaceTrusted: src.trusted(),
    };
  };
  return {
    info,
    async decide(hash, decision) {
      if (!src.trusted()) throw new AgentError('invalid_state', 'Workspace permission rules are off in Restricted Mode. Trust the workspace first.');
      await src.store.decide(suggestions().allow, hash, decision);
      src.onChange();
      return info();
    },
    async forget(action, pattern) {
      if (!(await src.store.removeSaved(action, pattern))) throw new AgentError('not_found', `No rule "${action} ${pattern}" is saved for this workspace.`);
      src.onChange();
      return info();
    },
  };
}
