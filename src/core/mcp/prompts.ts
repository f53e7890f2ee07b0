/**
 * MCP prompts as slash commands: the prompts a server lists (prompts/list, every page) and one
 * prompt's messages as the text the composer puts in (prompts/get): text as is, embedded
 * resources inlined as their text (binary ones named), images and audio named.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { McpPromptInfo } from '../../shared/protocol';
import { resourceContentsText } from './resources';

/** Most prompts taken from one server. */
const MAX_PROMPTS = 500;
/** Most characters of a prompt's text. */
export const MAX_PROMPT_CHARS = 100_000;

/** Every prompt `client` lists, for the slash-command menu. */
export async function listPrompts(server: string, client: Client, timeout: number): Promise<McpPromptInfo[]> {
  const out: McpPromptInfo[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listPrompts(cursor ? { cursor } : {}, { timeout });
    for (const p of page.prompts) {
      out.push({
        server, name: p.name, ...(p.title ? { title: p.title } : {}), ...(p.description ? { description: p.description } : {}),
        arguments: (p.arguments ?? []).map((a) => ({ name: a.name, ...(a.description ? { description: a.description } : {}), required: a.required === true })),
      });
    }
    cursor = page.nextCursor;
  } while (cursor && out.length < MAX_PROMPTS);
  return out.slice(0, MAX_PROMPTS);
}

type PromptContent = { type: string; text?: string; mimeType?: string; resource?: { uri: string; mimeType?: string; text?: string; blob?: string }; uri?: string; name?: string };

/** One message's content as text. */
function contentText(c: PromptContent): string {
  switch (c.type) {
    case 'text': return c.text ?? '';
    case 'resource': return c.resource ? resourceContentsText([c.resource]) : '';
    case 'resource_link': return `[resource ${c.uri ?? ''}${c.name ? ` (${c.name})` : ''}]`;
    default: return `[${c.type}${c.mimeType ? ` ${c.mimeType}` : ''} not shown]`;
  }
}

/** prompts/get with `args`: the messages' text joined by blank lines (capped). */
export async function promptText(client: Client, name: string, args: Record<string, string>, timeout: number): Promise<string> {
  const result = await client.getPrompt({ name, arguments: args }, { timeout });
  const text = result.messages.map((m) => contentText(m.content as PromptContent)).filter((t) => t.length > 0).join('\n\n');
  return text.length > MAX_PROMPT_CHARS ? `${text.slice(0, MAX_PROMPT_CHARS)}\n[… ${text.length - MAX_PROMPT_CHARS} more characters]` : text;
}
