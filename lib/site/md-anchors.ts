import type { MarkdownIt, Token } from 'markdown-it';
import { escapeHtml } from './html.ts';
import type { PageEnv } from './markdown.ts';

export function inlineText(inline: Token | undefined): string {
  if (!inline?.children) return inline?.content ?? '';
  return inline.children
    .filter((c) => c.type === 'text' || c.type === 'code_inline' || c.type === 'html_inline')
    .map((c) => (c.type === 'html_inline' ? '' : c.content))
    .join('');
}

/**
 * Every heading gets a stable id (GitHub's slugs, so links written for GitHub work here too) and
 * a `#` permalink; h2 and h3 feed the page's "On this page" list.
 */
export function anchorsPlugin(md: MarkdownIt): void {
  md.core.ruler.after('inline', 'workbook-anchors', (state) => {
    const env = state.env as unknown as PageEnv;
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (token.type !== 'heading_open') continue;
      const text = inlineText(tokens[i + 1]);
      const id = env.slugger.slug(text);
      token.attrSet('id', id);
      token.attrSet('tabindex', '-1');
      token.meta = { ...(token.meta ?? {}), id, text };
      const close = tokens.slice(i).find((t) => t.type === 'heading_close');
      if (close) close.meta = { ...(close.meta ?? {}), id, text };
      const level = Number(token.tag.slice(1));
      if (level === 2 || level === 3) env.toc.push({ level, id, text });
    }
  });
  md.renderer.rules.heading_close = (tokens, idx) => {
    const { id, text } = (tokens[idx].meta ?? {}) as { id?: string; text?: string };
    const anchor = id ? `<a class="header-anchor" href="#${id}" aria-label="Link to “${escapeHtml(text ?? '')}”"></a>` : '';
    return `${anchor}</${tokens[idx].tag}>\n`;
  };
}
