import type { MarkdownIt } from 'markdown-it';

/**
 * Charts committed under `site/drills/` (chapter 16's failover drills) are written in a chapter
 * as GitHub and editors resolve them from `chapters/`: `../site/drills/NAME.svg`. The build
 * copies that folder to `drills/` beside the pages (see copyAssets), and this points the
 * images there, each inside a link to itself, so that a phone can open it alone and zoom.
 * Images are loaded lazily: a chapter may hold several.
 */
export const DRILL_CHARTS_SOURCE = '../site/drills/';
export const DRILL_CHARTS_OUT = 'drills/';

export function imagesPlugin(md: MarkdownIt): void {
  const fallback = md.renderer.rules.image;
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const src = String(token.attrGet('src') ?? '');
    const chart = src.startsWith(DRILL_CHARTS_SOURCE);
    if (chart) {
      token.attrSet('src', DRILL_CHARTS_OUT + src.slice(DRILL_CHARTS_SOURCE.length));
      token.attrSet('class', 'chart');
    }
    token.attrSet('loading', 'lazy');
    const html = fallback ? fallback(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
    // A chart opens alone at full size when tapped (site.js enlarges it in place instead).
    return chart ? `<a class="chart-link" href="${md.utils.escapeHtml(String(token.attrGet('src')))}">${html}</a>` : html;
  };
}
