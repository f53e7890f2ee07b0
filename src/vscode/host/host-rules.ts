/**
 * Permission rules from the host's side: the rules the permission engine gets from settings and
 * workspaceState, "always allow" answers saved where they belong (user scope into user settings,
 * workspace scope into workspaceState: HostRuleSink), and the banner while the workspace settings
 * suggest allow rules the user has not answered. No 'vscode' import: the user settings' rule
 * lists come in as a small port, so this runs in plain unit tests.
 */
import type { Logger } from '../../core/ports';
import type { PermissionRule } from '../../shared/session';
import type { HostNotice } from '../../shared/protocol';
import { HostRuleSink, type WorkspaceRuleStore } from '../knowledge/workspace-rules';
import { hostRulesFrom, type SettingsRead } from '../settings';

/** `agentSessions.permissionRules` in user settings (VS Code's Global target). */
export interface UserRulesSetting {
  read(): Record<string, string[]>;
  write(value: Record<string, string[]>): PromiseLike<void>;
}

export interface HostRulesDeps {
  settings: () => SettingsRead;
  trusted: () => boolean;
  workspaceRules: WorkspaceRuleStore;
  userRules: UserRulesSetting;
  logger: Logger;
}

export const WORKSPACE_RULES_NOTICE = 'workspace-rules-pending';

export class HostRules {
  constructor(private readonly deps: HostRulesDeps) {}

  /** Rules for the permission engine, read per call (settings cache + workspaceState). */
  rules(): PermissionRule[] {
    const { rules } = this.deps.settings();
    return hostRulesFrom(rules, this.deps.trusted(), this.deps.workspaceRules.grants(rules.workspace.allow));
  }

  /** Where "always allow" answers go. */
  sink(): HostRuleSink {
    return new HostRuleSink(this.deps.workspaceRules, (rule) => this.saveUserRule(rule));
  }

  /**
   * Saves an "always allow" rule of user scope into user settings. Workspace-scope rules never
   * come here: HostRuleSink keeps them in workspaceState, because a rule written to
   * .vscode/settings.json is a rule any repository can ship.
   */
  async saveUserRule(rule: PermissionRule): Promise<void> {
    const current = this.deps.userRules.read();
    const list = Array.isArray(current[rule.action]) ? current[rule.action]! : [];
    if (list.includes(rule.pattern)) return;
    await this.deps.userRules.write({ allow: [], deny: [], ask: [], ...current, [rule.action]: [...list, rule.pattern] });
  }

  /** Sets or clears the banner about the workspace settings' unanswered allow rules. */
  updateNotice(services: { setNotice(n: HostNotice): void; clearNotice(id: string): void }): void {
    const id = WORKSPACE_RULES_NOTICE;
    const allow = this.deps.trusted() ? this.deps.settings().rules.workspace.allow : [];
    const { state } = this.deps.workspaceRules.state(allow);
    if (state !== 'pending') { services.clearNotice(id); return; }
    const list = [...new Set(allow)];
    const shown = list.slice(0, 3).join(', ') + (list.length > 3 ? ` and ${list.length - 3} more` : '');
    this.deps.logger.info(`The workspace settings suggest allow rules (${list.join(', ')}); they allow nothing until allowed in the Context panel.`);
    services.setNotice({
      id, severity: 'info',
      message: `This workspace's settings suggest allow rule${list.length === 1 ? '' : 's'} ${shown}. They allow nothing until you allow them in the Context panel.`,
    });
  }
}
