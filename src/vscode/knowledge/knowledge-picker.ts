/**
 * "Agent Sessions: Show Skills and Rules": the loaded rules files (with their scope and size) and
 * skills (with their source, clashes and diagnostics) in one QuickPick; picking one opens the file.
 * Per-session switches live in the session's tab (SessionConfig.disabledRuleIds / skillOverrides).
 */
import * as vscode from 'vscode';
import type { RulesFile } from '../../core/context/rules-files';
import type { SkillDiagnostic, SkillInfo } from '../../core/skills/types';
import type { VsCodeKnowledge } from './vscode-ports';

type Item = vscode.QuickPickItem & { path?: string };

const RULE_KIND: Record<RulesFile['kind'], string> = {
  agents: 'AGENTS.md', claude: 'CLAUDE.md', gemini: 'GEMINI.md', copilot: 'Copilot instructions', clinerules: 'Cline rules', cursor: 'Cursor rules',
};

const ACTIVATION: Record<RulesFile['activation'], string> = {
  always: '', path: 'when working there', glob: 'for matching files', requested: 'when the model asks', manual: 'manual: not sent',
};

export function ruleItem(f: RulesFile): Item {
  const where = f.kind === 'agents' || f.kind === 'claude' || f.kind === 'gemini'
    ? `${RULE_KIND[f.kind]} ${f.scope ? `for ${f.scope}/` : 'for the whole workspace'}` : RULE_KIND[f.kind];
  const when = ACTIVATION[f.activation];
  return {
    label: `$(book) ${f.relativePath}`,
    description: `${where}${when ? ` · ${when}` : ''} · ${f.size} bytes${f.truncated ? ' · cut to fit' : ''}${f.linkTarget ? ` · link to ${f.linkTarget}` : ''}`,
    path: f.path,
  };
}

export function skillItem(s: SkillInfo): Item {
  const problems = s.diagnostics.filter((d) => d.severity !== 'info' || d.code === 'duplicate');
  return {
    label: `${s.shadowed ? '$(debug-step-over)' : '$(lightbulb)'} ${s.name}`,
    description: `${s.source === 'user' ? 'user' : `workspace · .${s.location}/skills`}${s.shadowed ? ' · shadowed' : ''}`,
    detail: [s.description, ...problems.map((d) => `⚠ ${d.message}`)].join('  '),
    path: s.skillFile,
  };
}

export function diagnosticItem(d: SkillDiagnostic): Item {
  return {
    label: `${d.severity === 'error' ? '$(error)' : d.severity === 'warning' ? '$(warning)' : '$(info)'} ${d.path ? vscode.workspace.asRelativePath(d.path) : 'skills'}`,
    detail: d.message,
    ...(d.path ? { path: d.path } : {}),
  };
}

export async function showSkillsAndRules(parts: VsCodeKnowledge): Promise<void> {
  const { knowledge } = parts;
  const rules = await knowledge.listRules();
  const skills = knowledge.skills?.list() ?? [];
  // Diagnostics of skills that loaded are shown on their line; the rest (invalid, unreadable, untrusted) here.
  const listed = new Set(skills.map((s) => s.skillFile));
  const loose = (knowledge.skills?.diagnostics() ?? []).filter((d) => !listed.has(d.path));
  const items: Item[] = [
    { label: `Rules files (${rules.length})`, kind: vscode.QuickPickItemKind.Separator },
    ...(rules.length > 0 ? rules.map(ruleItem)
      : knowledge.trusted ? [{ label: '$(info) No rules files (AGENTS.md, CLAUDE.md, .github/copilot-instructions.md, .clinerules, .cursor/rules)' }]
        : [{ label: '$(shield) Rules files are off in Restricted Mode', detail: 'Trust the workspace to let its AGENTS.md, CLAUDE.md and other rules files into the prompt.' }]),
    { label: `Skills (${skills.filter((s) => !s.shadowed).length})`, kind: vscode.QuickPickItemKind.Separator },
    ...(skills.length > 0 ? skills.map(skillItem) : [{ label: '$(info) No skills (.agents/skills, .claude/skills, .github/skills, or the user skills folder)' }]),
  ];
  if (loose.length > 0) items.push({ label: 'Diagnostics', kind: vscode.QuickPickItemKind.Separator }, ...loose.map(diagnosticItem));
  const pick = await vscode.window.showQuickPick(items, { title: 'Skills and rules', placeHolder: 'Pick one to open its file', matchOnDescription: true, matchOnDetail: true });
  if (pick?.path) await vscode.window.showTextDocument(vscode.Uri.file(pick.path));
}
