/**
 * Follows one session's run_command calls as terminal text: on start the last few commands of
 * its transcript, then each new one live (`tool.requested` → `$ command`, `tool.output` → the
 * chunks, `tool.completed` → the exit line). The terminal (terminal.ts) only writes what this
 * hands it. No vscode import (unit-tested against a fake manager).
 */
import type { IDisposable } from '../../core/base/disposable';
import type { Event } from '../../core/base/emitter';
import type { SessionEvent } from '../../shared/events';
import type { TranscriptRecord } from '../../shared/transcript';
import { commandLine, exitLine, FOLLOWED_TOOL, hintLine, OutputSanitizer, replayCommands, waitingLine } from './follow-format';

/** The slice of the session manager a follower reads. */
export interface FollowSource {
  readonly onEvent: Event<SessionEvent>;
  transcript(sessionId: string, options: { limit?: number }): Promise<{ entries: TranscriptRecord[] }>;
}

/** Records read for the replay (enough to find the last few commands among answers and other tools). */
const REPLAY_PAGE = 200;

export class CommandFollower implements IDisposable {
  /** Commands of this session being followed, with their output's state. */
  private readonly calls = new Map<string, OutputSanitizer>();
  private subscription: IDisposable | undefined;
  /** Events that came while the replay was read (applied after it). */
  private buffered: SessionEvent[] | undefined = [];
  private atLineStart = true;
  private disposed = false;

  constructor(
    private readonly source: FollowSource,
    private readonly sessionId: string,
    private readonly title: string,
    private readonly write: (text: string) => void,
  ) {}

  /**
   * Writes the hint and the replay, then follows. Subscribes before reading the transcript, so no
   * command that starts meanwhile is missed; events that came during the read are applied after
   * the replay (the page is read when `transcript` is called, so they are not in it).
   */
  async start(): Promise<void> {
    this.subscription = this.source.onEvent((e) => {
      if (e.sessionId !== this.sessionId) return;
      if (this.buffered) this.buffered.push(e);
      else this.apply(e);
    });
    this.emit(hintLine(this.title));
    let entries: TranscriptRecord[] = [];
    try {
      entries = (await this.source.transcript(this.sessionId, { limit: REPLAY_PAGE })).entries;
    } catch {
      // A session that cannot be read (deleted meanwhile): nothing to replay; live events still show.
      entries = [];
    }
    if (this.disposed) return;
    const replay = replayCommands(entries);
    if (replay.text) this.emit(replay.text);
    for (const id of replay.running) this.calls.set(id, new OutputSanitizer());
    const pending = this.buffered ?? [];
    this.buffered = undefined;
    for (const e of pending) this.apply(e);
  }

  private apply(e: SessionEvent): void {
    switch (e.type) {
      case 'tool.requested':
        if (e.name !== FOLLOWED_TOOL || this.calls.has(e.callId)) return;
        this.calls.set(e.callId, new OutputSanitizer());
        this.emit(`${this.atLineStart ? '' : '\r\n'}${commandLine(e.args)}`);
        return;
      case 'approval.requested':
        if (this.calls.has(e.approval.callId)) this.emit(waitingLine());
        return;
      case 'tool.output': {
        const sanitizer = this.calls.get(e.callId);
        if (sanitizer) this.emit(sanitizer.push(e.chunk));
        return;
      }
      case 'tool.completed':
        if (!this.calls.delete(e.callId)) return;
        this.emit(`${this.atLineStart ? '' : '\r\n'}${exitLine({
          content: e.content, isError: e.isError, durationMs: e.durationMs, ...(e.interrupted ? { interrupted: true } : {}),
        })}`);
        return;
      default:
    }
  }

  private emit(text: string): void {
    if (!text || this.disposed) return;
    this.atLineStart = text.endsWith('\n');
    this.write(text);
  }

  dispose(): void {
    this.disposed = true;
    this.subscription?.dispose();
    this.subscription = undefined;
    this.calls.clear();
  }
}
