import type { MarkdownIt } from 'markdown-it';
import type { PageEnv } from './markdown.ts';

const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Links between chapters are written as GitHub would follow them (`07-start-patroni.md#…`); on
 * the site they point at the chapter's page. External links are marked so print CSS can show
 * their address.
 */
export function linksPlugin(md: MarkdownIt): void {
  const fallback = md.renderer.rules.link_open;
  md.renderer.rules.link_open = (tokens, idx, options, pageEnv, self) => {
    const env = pageEnv as unknown as PageEnv;
    const token = tokens[idx];
    const href = String(token.attrGet('href') ?? '');
    if (EXTERNAL.test(href)) {
      token.attrJoin('class', 'external');
      token.attrSet('rel', 'noopener');
    } else if (href && !href.startsWith('#')) {
      const [path, hash] = href.split('#', 2) as [string, string | undefined];
      const name = path.split('/').pop() ?? path;
      const page = env.chapterPages.get(name);
      if (page) token.attrSet('href', hash ? `${page}#${hash}` : page);
      else env.warnings.push(`link to "${href}" does not point at a chapter: it will not resolve on the site`);
    }
    return fallback ? fallback(tokens, idx, options, pageEnv, self) : self.renderToken(tokens, idx, options);
  };
}
