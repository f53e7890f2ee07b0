/**
 * Rules files or skills changed on disk: the focused session's listing (`knowledge.loaded`)
 * follows. A burst of file changes (a branch switch) is coalesced into one refresh.
 */
import { Disposable, toDisposable } from '../../core/base/disposable';
import { toAgentError } from '../../core/base/errors';
import type { Event } from '../../core/base/emitter';
import type { Logger } from '../../core/ports';
import type { SessionManagerApi } from '../../core/session/api';
import type { FocusTracker } from '../focus';

/** How long file-change bursts are coalesced, ms. */
export const KNOWLEDGE_REFRESH_MS = 300;

export class KnowledgeRefresh extends Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    onDidChangeKnowledge: Event<unknown>,
    private readonly manager: SessionManagerApi,
    private readonly focus: FocusTracker,
    private readonly logger: Logger,
    private readonly delayMs = KNOWLEDGE_REFRESH_MS,
  ) {
    super();
    this._register(onDidChangeKnowledge(() => this.schedule()));
    this._register(toDisposable(() => { if (this.timer) clearTimeout(this.timer); }));
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const id = this.focus.focused;
      if (!id || !this.manager.get(id)) return;
      this.manager.knowledge(id).then(undefined, (e: unknown) => this.logger.debug(`Knowledge refresh of ${id} failed: ${toAgentError(e).message}`));
    }, this.delayMs);
  }
}
