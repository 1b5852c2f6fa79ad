import type { MarkdownIt } from 'markdown-it';

export const ALERT_TYPES = ['note', 'tip', 'important', 'warning', 'caution'] as const;
const TITLES: Record<string, string> = {
  note: 'Note',
  tip: 'Tip',
  important: 'Important',
  warning: 'Warning',
  caution: 'Caution',
};
const MARKER = /^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(?:\n|$)/i;

/**
 * GitHub's alert syntax: a blockquote whose first line is `[!NOTE]` (or TIP, IMPORTANT, WARNING,
 * CAUTION) becomes an admonition box. Runs before inline parsing, so only the source text of the
 * first paragraph needs the marker removed.
 */
export function alertsPlugin(md: MarkdownIt): void {
  md.core.ruler.before('inline', 'workbook-alerts', (state) => {
    const tokens = state.tokens;
    const open: number[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (token.type === 'blockquote_open') {
        open.push(i);
        const inline = tokens[i + 2];
        if (tokens[i + 1]?.type !== 'paragraph_open' || inline?.type !== 'inline') continue;
        const marker = MARKER.exec(inline.content);
        if (!marker) continue;
        const type = marker[1].toLowerCase();
        token.meta = { ...(token.meta ?? {}), alert: type };
        inline.content = inline.content.slice(marker[0].length);
        if (inline.content.trim() === '') {
          // The marker stood alone in its paragraph: drop the empty paragraph.
          tokens.splice(i + 1, 3);
        }
      } else if (token.type === 'blockquote_close') {
        const start = open.pop();
        if (start !== undefined && tokens[start].meta?.alert)
          token.meta = { ...(token.meta ?? {}), alert: tokens[start].meta.alert };
      }
    }
  });
  md.renderer.rules.blockquote_open = (tokens, idx, options, _env, self) => {
    const type = tokens[idx].meta?.alert as string | undefined;
    if (!type) return self.renderToken(tokens, idx, options);
    return `<div class="alert alert-${type}" role="note">\n<p class="alert-title">${TITLES[type]}</p>\n`;
  };
  md.renderer.rules.blockquote_close = (tokens, idx, options, _env, self) => {
    if (!tokens[idx].meta?.alert) return self.renderToken(tokens, idx, options);
    return '</div>\n';
  };
}
