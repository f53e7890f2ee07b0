/**
 * MCP tool results → text for the model. Images, audio and binary resources become a short
 * placeholder with type and size; the whole text is capped so a huge result never reaches the
 * model or the session log.
 */

type ContentItem = { type: string; [k: string]: unknown };

function sizeOfBase64(data: unknown): string {
  if (typeof data !== 'string') return 'unknown size';
  const bytes = Math.floor((data.length * 3) / 4) - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0);
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} bytes`;
}

function itemText(item: ContentItem): string {
  switch (item.type) {
    case 'text': return typeof item.text === 'string' ? item.text : '';
    case 'image':
    case 'audio': return `[${item.type}: ${String(item.mimeType ?? 'unknown type')}, ${sizeOfBase64(item.data)} — not shown]`;
    case 'resource_link': return `[resource link: ${String(item.uri ?? '')}${item.name ? ` (${String(item.name)})` : ''}]`;
    case 'resource': {
      const r = (item.resource ?? {}) as Record<string, unknown>;
      if (typeof r.text === 'string') return `[resource ${String(r.uri ?? '')}]\n${r.text}`;
      return `[resource: ${String(r.uri ?? '')}, ${String(r.mimeType ?? 'binary')}, ${sizeOfBase64(r.blob)} — not shown]`;
    }
    default: return `[${item.type} content — not shown]`;
  }
}

/** Joins the items, falling back to structuredContent, and caps to `maxChars` with a note. */
export function mcpResultToText(result: { content?: unknown; structuredContent?: unknown }, maxChars: number): string {
  const items = Array.isArray(result.content) ? (result.content as ContentItem[]) : [];
  // Build incrementally and stop early: a 50 MB text item must not be copied around needlessly.
  const parts: string[] = [];
  let length = 0;
  let total = 0;
  for (const item of items) {
    const t = itemText(item);
    total += t.length + (parts.length > 0 ? 1 : 0);
    if (length < maxChars) { parts.push(t); length += t.length + 1; }
  }
  if (items.length === 0 && result.structuredContent !== undefined) {
    const t = JSON.stringify(result.structuredContent, null, 2) ?? '';
    parts.push(t);
    total = t.length;
  }
  const text = parts.join('\n');
  if (total <= maxChars) return text || '(no content)';
  return `${text.slice(0, maxChars)}\n[truncated: ${maxChars} of ${total} characters shown]`;
}
