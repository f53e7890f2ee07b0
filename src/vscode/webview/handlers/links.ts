/** `links.open`: a link the user clicked in the transcript. Only http(s) and mailto leave VS Code. */
import type { HandlerMap } from './types';

const ALLOWED = new Set(['http:', 'https:', 'mailto:']);

/** The normalised URL when `href` is an absolute http(s)/mailto URL without embedded credentials, else undefined. */
export function safeExternalUrl(href: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return undefined; // relative or malformed: nothing to open
  }
  if (!ALLOWED.has(url.protocol)) return undefined;
  if (url.username || url.password) return undefined;
  if (url.protocol !== 'mailto:' && !url.hostname) return undefined;
  return url.toString();
}

export const linkHandlers: HandlerMap<'links.open'> = {
  'links.open': async (p, { services }) => {
    const url = safeExternalUrl(p.href);
    if (!url) {
      services.logger.warn(`Refused to open a link with a disallowed scheme or shape (${p.href.slice(0, 40)}…)`);
      return { opened: false };
    }
    return { opened: await services.openExternal(url) };
  },
};
