/** Text for a rules file's line in the Context panel: when it is sent, and whether it is now (plain functions, easy to test). */
import type { KnowledgeRulesFile, SessionKnowledge } from '../../../../src/shared/session';

/** "in the context", "joins when the session works in packages/a/", "left out for space …", … */
export function ruleWhenText(r: KnowledgeRulesFile): string {
  const link = r.linkTarget ? ` · link to ${r.linkTarget}` : '';
  if (!r.enabled) return `switched off for this session${link}`;
  if (r.omitted) return `left out for space: listed for the model, which reads it when needed${link}`;
  if (r.active) return `in the context${r.activation && r.activation !== 'always' ? ' (attached on the way)' : ''}${link}`;
  const when = r.activation === 'path' ? `joins when the session works in ${r.scope}/`
    : r.activation === 'glob' ? `joins for files matching ${(r.globs ?? []).join(', ')}`
      : r.activation === 'requested' ? `the model reads it when relevant: ${r.description ?? ''}`
        : r.activation === 'manual' ? 'manual: not sent (no alwaysApply, globs or description)' : 'not sent';
  return `${when}${link}`;
}

/** "12,345 of 60,000 characters of rules sent", or '' when the listing has no budget. */
export function rulesBudgetText(k: SessionKnowledge | undefined): string {
  const b = k?.rulesBudget;
  return b ? `${b.chars.toLocaleString('en-US')} of ${b.budget.toLocaleString('en-US')} characters of rules sent` : '';
}
