/**
 * Markdown → sanitised HTML for the transcript. Model output is untrusted (prompt injection),
 * so the result can never make the webview fetch anything:
 * - an allowlist of tags and attributes: no img, iframe, video, audio, object, embed, svg,
 *   link, meta, base, form, style, and no src/srcset/style/background/poster attributes;
 * - markdown images become an inert text placeholder (alt text + the URL as text);
 * - links lose `href` (kept as `data-href`); a click asks the host to open it (links.open).
 */
import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'b', 'i', 'del', 's', 'code', 'pre',
  'blockquote', 'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'div', 'button', 'kbd', 'sup', 'sub',
];
const ALLOWED_ATTR = ['title', 'class', 'align', 'start', 'colspan', 'rowspan', 'data-href', 'aria-label', 'type', 'role', 'tabindex'];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    image({ href, text }: Tokens.Image): string {
      return `<span class="md-image" title="Images are not loaded">[image: ${escapeHtml(text || 'no description')}] <code>${escapeHtml(href)}</code></span>`;
    },
    link({ href, title, tokens }: Tokens.Link): string {
      const inner = this.parser.parseInline(tokens);
      return `<a data-href="${escapeHtml(href)}" role="link" tabindex="0"${title ? ` title="${escapeHtml(title)}"` : ''}>${inner}</a>`;
    },
    code({ text, lang }: Tokens.Code): string {
      const language = (lang ?? '').match(/^[\w+-]+/)?.[0] ?? '';
      // Icon-only: the transcript's CSS draws the codicon (generated content, so no extra markup
      // has to pass the sanitiser); the aria-label is its accessible name.
      return `<div class="code-block"><button type="button" class="copy" aria-label="Copy code" title="Copy code"></button>`
        + `<pre><code${language ? ` class="language-${language}"` : ''}>${escapeHtml(text)}</code></pre></div>`;
    },
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      // Raw HTML in model output is shown as text, never interpreted.
      return escapeHtml(text);
    },
  },
});

let hooked = false;
function installHooks(): void {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    // Only our own classes survive (no styling tricks from model output).
    const cls = node.getAttribute('class');
    if (cls !== null && !/^(code-block|copy|md-image|language-[\w+-]+)$/.test(cls)) node.removeAttribute('class');
  });
}

/**
 * Sanitised HTML: a TrustedHTML made by DOMPurify's policy (a plain string only where the browser has
 * no Trusted Types). Insert it with `markdownContent` (markdown-directive.ts), never as a string.
 */
export type SanitizedHtml = ReturnType<typeof sanitize>;

function sanitize(html: string) {
  return DOMPurify.sanitize(html, {
    RETURN_TRUSTED_TYPE: true, // the webview CSP requires trusted types for innerHTML
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ALLOWED_URI_REGEXP: /^$/, // no attribute may carry a URL…
    // …except these inert ones (DOMPurify checks every non-"URI-safe" attribute against the regexp).
    ADD_URI_SAFE_ATTR: ['data-href', 'aria-label', 'type', 'tabindex', 'align', 'start', 'colspan', 'rowspan'],
    FORBID_CONTENTS: ['script', 'style'],
  });
}

/** Renders untrusted Markdown to sanitised HTML (see {@link SanitizedHtml}). */
export function renderMarkdown(source: string): SanitizedHtml {
  installHooks();
  return sanitize(marked.parse(source) as string);
}
