import { MemorySessionStore, MemoryStoreData } from '../../../src/core/store/memory-store';
import { runStoreConformance } from './conformance';

runStoreConformance('MemorySessionStore', async () => {
  const data = new MemoryStoreData();
  const h = {
    store: new MemorySessionStore(data),
    async reopen() {
      await h.store.close();
      h.store = new MemorySessionStore(data);
      return h.store;
    },
    async cleanup() { await h.store.close(); },
    async writeRawCheckpoint(sessionId: string, text: string) { data.checkpoints.set(sessionId, text); },
  };
  return h;
});
