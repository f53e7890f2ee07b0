import { runStoreConformance } from './conformance';
import { jsonlHarness } from './helpers';

runStoreConformance('JsonlSessionStore', jsonlHarness);
