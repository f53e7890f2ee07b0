/**
 * The one cap on what a tool result shows the model, applied by the executor to every tool
 * (built-in, MCP, spawn_session): a longer result keeps its head and tail with the omitted count,
 * and the whole text is saved to the session's spill folder when it has one, so nothing is lost.
 */
import { capText, DEFAULT_OUTPUT_CHARS } from './output-cap';
import type { ToolOutputSpill } from './spill';
import type { AnyTool, ToolResult } from './types';

const fmt = (n: number): string => n.toLocaleString('en-US');

/**
 * `result` within `tool.maxOutputChars` (default {@link DEFAULT_OUTPUT_CHARS}). Never throws:
 * a spill file that cannot be written is said in the result instead.
 */
export async function capToolResult(result: ToolResult, tool: Pick<AnyTool, 'maxOutputChars'>, callId: string, spill?: ToolOutputSpill): Promise<ToolResult> {
  const maxChars = tool.maxOutputChars ?? DEFAULT_OUTPUT_CHARS;
  if (result.content.length <= maxChars) return result;
  const note = spill ? await saveWhole(result.content, callId, spill) : 'The omitted middle was not saved (no storage for tool output here).';
  return { ...result, content: `${capText(result.content, { maxChars })}\n\n${note}` };
}

async function saveWhole(text: string, callId: string, spill: ToolOutputSpill): Promise<string> {
  let writer;
  try {
    writer = spill.open(callId);
    writer.write(text);
    const info = await writer.close();
    const what = info.truncated
      ? `The first ${fmt(info.bytes)} bytes of the result (${fmt(info.lines)} lines) are`
      : `The full result (${fmt(info.lines)} lines, ${fmt(info.bytes)} bytes) is`;
    return `${what} saved in ${info.path}. Read any part with read_file (path, startLine, endLine).`;
  } catch (e) {
    await writer?.discard().catch(() => undefined); // a half-written file would mislead; the note says it failed
    return `The omitted middle was not saved: ${e instanceof Error ? e.message : String(e)}`;
  }
}
