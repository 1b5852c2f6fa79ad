import type { MarkdownIt } from 'markdown-it';

/**
 * Charts committed under `site/drills/` (chapter 16's failover drills) are written in a chapter
 * as GitHub and editors resolve them from `chapters/`: `../site/drills/NAME.svg`. The build
 * copies that folder to `drills/` beside the pages (see copyAssets), and this points the
 * images there. Images are loaded lazily: a chapter may hold several.
 */
export const DRILL_CHARTS_SOURCE = '../site/drills/';
export const DRILL_CHARTS_OUT = 'drills/';

export function imagesPlugin(md: MarkdownIt): void {
  const fallback = md.renderer.rules.image;
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const src = String(token.attrGet('src') ?? '');
    if (src.startsWith(DRILL_CHARTS_SOURCE)) token.attrSet('src', DRILL_CHARTS_OUT + src.slice(DRILL_CHARTS_SOURCE.length));
    token.attrSet('loading', 'lazy');
    return fallback ? fallback(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
  };
}
