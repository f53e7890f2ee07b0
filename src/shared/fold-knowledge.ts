/**
 * The knowledge half of the one fold (fold.ts): tool progress, hooks, MCP server questions,
 * rules attached on the way, tools loaded on demand and memory writes. Pure, like the rest.
 */
import type { SessionEvent } from './events';
import type { SessionSnapshot } from './session';
import type { RecordsHolder } from './fold-records';
import type { HookRunInfo } from './knowledge-types';
import type { ToolRecord } from './transcript';
import { pushMarker, recordIndex, replaceRecord, updateTool } from './fold-records';

/** The part of a projection (fold.ts) this half folds. */
type SessionProjection = RecordsHolder & Pick<SessionSnapshot, 'pendingQuestions' | 'attachedRules' | 'loadedTools'>;

const HOOK_TEXT: Record<string, string> = {
  allow: 'allowed', deny: 'denied', ask: 'asked for approval', context: 'added context', blocked: 'blocked', ok: 'ran',
  error: 'failed', timeout: 'timed out', unapproved: 'not run (not approved)',
};

/** The one-line text of a hook run (marker and card). */
export function hookText(h: HookRunInfo): string {
  return `Hook ${h.hookEvent} ${HOOK_TEXT[h.outcome] ?? h.outcome}: ${h.command}${h.message ? ` — ${h.message}` : ''}`;
}

/** Folds a knowledge event; false when `ev` is not one. */
export function foldKnowledgeEvent(p: SessionProjection, ev: SessionEvent): 'rows' | 'meta' | false {
  switch (ev.type) {
    case 'tool.progress': {
      const progress = { progress: ev.progress, ...(ev.total !== undefined ? { total: ev.total } : {}), ...(ev.message ? { message: ev.message } : {}) };
      return updateTool(p, ev.callId, (r) => ({ ...r, progress })) ? 'rows' : 'meta';
    }
    case 'hook.ran': {
      const run: HookRunInfo = {
        hookEvent: ev.hookEvent, command: ev.command, source: ev.source, outcome: ev.outcome, durationMs: ev.durationMs,
        ...(ev.message ? { message: ev.message } : {}),
      };
      if (ev.callId && updateTool(p, ev.callId, (r) => ({ ...r, hooks: [...(r.hooks ?? []), run] }))) return 'rows';
      const variant = ev.outcome === 'error' || ev.outcome === 'timeout' || ev.outcome === 'blocked' || ev.outcome === 'deny' ? 'warning' : 'hook';
      pushMarker(p, ev, variant, hookText(run), { hook: run, ...(variant === 'warning' ? { code: `hook_${ev.outcome}` } : {}) });
      return 'rows';
    }
    case 'question.asked': {
      const q = ev.question;
      p.pendingQuestions = [...(p.pendingQuestions ?? []).filter((x) => x.id !== q.id), q];
      if (q.callId && updateTool(p, q.callId, (r) => ({ ...r, questions: [...(r.questions ?? []), { question: q }] }))) return 'rows';
      const what = q.kind === 'sampling' ? `${q.server} asks to use the model` : `${q.server} asks`;
      pushMarker(p, ev, 'question', `${what}: ${q.message}`, { question: q });
      return 'rows';
    }
    case 'question.answered': {
      const q = p.pendingQuestions?.find((x) => x.id === ev.questionId);
      p.pendingQuestions = (p.pendingQuestions ?? []).filter((x) => x.id !== ev.questionId);
      if (p.pendingQuestions.length === 0) delete p.pendingQuestions;
      if (q?.callId && updateTool(p, q.callId, (r) => answerOnCard(r, ev.questionId, ev.answer))) return 'rows';
      const i = p.records.findIndex((r) => r.kind === 'marker' && r.question?.id === ev.questionId);
      if (i >= 0) {
        const r = p.records[i];
        if (r.kind === 'marker') replaceRecord(p, i, { ...r, answer: ev.answer });
        return 'rows';
      }
      return 'meta';
    }
    case 'rules.attached': {
      const known = new Set((p.attachedRules ?? []).map((r) => r.id));
      const fresh = ev.rules.filter((r) => !known.has(r.id));
      if (fresh.length === 0) return 'meta';
      p.attachedRules = [...(p.attachedRules ?? []), ...fresh];
      const list = fresh.map((r) => `${r.relativePath}${r.trigger ? ` (for ${r.trigger})` : ''}`).join(', ');
      pushMarker(p, ev, 'note', `Rules added to the context: ${list}`);
      return 'rows';
    }
    case 'tools.loaded': {
      const known = new Set(p.loadedTools ?? []);
      const fresh = ev.names.filter((n) => !known.has(n));
      if (fresh.length === 0) return 'meta';
      p.loadedTools = [...(p.loadedTools ?? []), ...fresh];
      return ev.callId && recordIndex(p, `tool:${ev.callId}`) >= 0 ? 'meta' : (pushMarker(p, ev, 'note', `Tools loaded: ${fresh.join(', ')}`), 'rows');
    }
    case 'memory.changed': {
      if (ev.action === 'undone') {
        // The card of the write that was undone shows it; callId names that write.
        const done = ev.callId !== undefined && updateTool(p, ev.callId, (r) => ({
          ...r, memory: (r.memory ?? []).map((m) => (m.entryId === ev.entryId ? { ...m, undone: true } : m)),
        }));
        if (!done) pushMarker(p, ev, 'note', `Memory write undone: ${ev.text}`);
        return 'rows';
      }
      const entry = { entryId: ev.entryId, action: ev.action, text: ev.text, memoryPath: ev.memoryPath };
      if (ev.callId && updateTool(p, ev.callId, (r) => ({ ...r, memory: [...(r.memory ?? []), entry] }))) return 'rows';
      pushMarker(p, ev, 'note', `Memory ${ev.action}: ${ev.text}`);
      return 'rows';
    }
    default: return false;
  }
}

function answerOnCard(r: ToolRecord, id: string, answer: NonNullable<ToolRecord['questions']>[number]['answer']): ToolRecord {
  return { ...r, questions: (r.questions ?? []).map((q) => (q.question.id === id ? { ...q, answer } : q)) };
}
