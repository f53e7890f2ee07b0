/** Webview entry (bundled to dist/webview.js): connects to the host and mounts <as-app>. */
import { HostClient, type VsCodeApi } from './host-client';
import './elements/app/as-app';

declare function acquireVsCodeApi(): VsCodeApi;

const client = new HostClient(acquireVsCodeApi());
const app = document.createElement('as-app');
app.client = client;
document.body.append(app);
