/** A session as a Markdown document (Export as Markdown). Pure. */
import type { SessionSnapshot, TranscriptEntry } from '../shared/session';

function fence(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${text}\n${f}`;
}

export function sessionToMarkdown(snapshot: SessionSnapshot, entries: readonly TranscriptEntry[]): string {
  const out: string[] = [
    `# ${snapshot.title}`,
    '',
    `- Provider: ${snapshot.config.providerId} · Model: ${snapshot.config.model} · Mode: ${snapshot.config.mode}`,
    `- Created: ${new Date(snapshot.createdAt).toISOString()} · Messages: ${snapshot.messageCount}`,
    ...(snapshot.totals.costUsd !== null ? [`- Cost: $${snapshot.totals.costUsd.toFixed(4)}`] : []),
    '',
  ];
  for (const e of entries) {
    const mark = `${e.compacted ? ' _(compacted)_' : ''}${e.partial ? ' _(partial: the stream broke off)_' : ''}`;
    if (e.role === 'user') {
      out.push(`## User${mark}`, '', e.content, '');
    } else if (e.role === 'assistant') {
      out.push(`## Assistant${mark}`, '');
      for (const part of e.content) {
        if (part.type === 'text') out.push(part.text, '');
        else if (part.type === 'thinking') out.push('<details><summary>Thinking</summary>', '', part.text, '', '</details>', '');
        else out.push(`**Tool call \`${part.name}\`**`, '', fence(JSON.stringify(part.args, null, 2), 'json'), '');
      }
    } else {
      out.push(`### Tool result \`${e.toolName}\`${e.isError ? ' (error)' : ''}${mark}`, '', fence(e.content), '');
    }
  }
  return out.join('\n');
}
