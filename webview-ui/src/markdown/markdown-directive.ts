/**
 * `<div ${markdownContent(html)}>`: puts sanitised Markdown into an element. The value is the
 * TrustedHTML DOMPurify made, assigned as it is: under the webview's Trusted Types CSP no string
 * can be (lit's unsafeHTML would turn it back into a string and bless it with lit's own policy).
 */
import { noChange } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';
import type { SanitizedHtml } from './render';

class MarkdownContent extends Directive {
  private current?: SanitizedHtml;

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('markdownContent() goes on an element: <div ${markdownContent(html)}>');
  }

  render(_html: SanitizedHtml): unknown {
    return noChange;
  }

  override update(part: ElementPart, [html]: [SanitizedHtml]): unknown {
    if (html !== this.current) {
      this.current = html;
      // lib.dom types innerHTML as string; browsers take TrustedHTML there (and require it under the CSP).
      part.element.innerHTML = html as unknown as string;
    }
    return noChange;
  }
}

/** Element directive: the element's content becomes `html` (re-set only when `html` changes). */
export const markdownContent = directive(MarkdownContent);
