/** A session as a Markdown document (Export as Markdown), from its transcript records. Pure. */
import type { SessionSnapshot } from '../shared/session';
import type { TranscriptRecord } from '../shared/transcript';

function fence(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${text}\n${f}`;
}

export function sessionToMarkdown(snapshot: SessionSnapshot, records: readonly TranscriptRecord[]): string {
  const out: string[] = [
    `# ${snapshot.title}`,
    '',
    `- Provider: ${snapshot.config.providerId} · Model: ${snapshot.config.model} · Mode: ${snapshot.config.mode}`,
    `- Created: ${new Date(snapshot.createdAt).toISOString()} · Messages: ${snapshot.messageCount}`,
    ...(snapshot.totals.costUsd !== null ? [`- Cost: $${snapshot.totals.costUsd.toFixed(4)}`] : []),
    '',
  ];
  for (const r of records) {
    const mark = `${r.compacted ? ' _(compacted)_' : ''}${r.kind === 'assistant' && r.partial ? ' _(partial: the stream broke off)_' : ''}${r.kind === 'assistant' && r.interrupted ? ' _(interrupted)_' : ''}`;
    switch (r.kind) {
      case 'user': out.push(`## User${mark}`, '', r.text, ''); break;
      case 'assistant':
        out.push(`## Assistant${mark}`, '');
        if (r.thinking) out.push('<details><summary>Thinking</summary>', '', r.thinking, '', '</details>', '');
        if (r.text) out.push(r.text, '');
        break;
      case 'tool':
        out.push(`### Tool \`${r.name}\` (${r.status})${mark}`, '', fence(JSON.stringify(r.args, null, 2), 'json'), '');
        if (r.result !== undefined) out.push('Result:', '', fence(r.result), '');
        break;
      case 'marker':
        out.push(`> ${r.text}`, '');
        if (r.summary) out.push('<details><summary>Summary</summary>', '', r.summary, '', '</details>', '');
        break;
    }
  }
  return out.join('\n');
}
