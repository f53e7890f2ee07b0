// The data types live in src/shared so the host⇄webview protocol can carry them.
export * from '../../shared/events';
