import type { MarkdownIt } from 'markdown-it';
import { includeTitle } from '../chapters/includes.ts';
import type { CodeHighlighter } from './highlight.ts';
import { escapeHtml } from './html.ts';
import { sessionHtml } from './md-session.ts';

const LABELS: Record<string, string> = {
  ts: 'ts',
  js: 'js',
  sh: 'sh',
  yaml: 'yaml',
  ini: 'ini',
  haproxy: 'haproxy',
  json: 'json',
  sql: 'sql',
  diff: 'diff',
  text: '',
};

/**
 * Code blocks: shiki colours (both themes at once), a title for included files, prompts that
 * are shown but never selected or copied. The copy button itself is added by site.js, so a page
 * read without JavaScript shows no dead buttons.
 */
export function fencePlugin(md: MarkdownIt, highlighter: CodeHighlighter): void {
  md.renderer.rules.fence = (tokens, idx) => {
    const token = tokens[idx];
    const include = token.meta?.include as string | undefined;
    const byHand = (token.meta?.byHand as string[] | undefined) ?? [];
    const block = highlighter.highlight(token.content, token.info);
    const session = include ? undefined : sessionHtml(token.content, block);
    if (session) return session;
    const label = LABELS[block.lang] ?? block.lang;
    const attrs = [`class="code${block.hasPrompts ? ' has-prompts' : ''}"`, `data-lang="${escapeHtml(block.lang)}"`];
    if (include) attrs.push(`data-include="${escapeHtml(include)}"`);
    const title = include
      ? `<figcaption class="code-title"><span class="code-file">${escapeHtml(includeTitle(include))}</span>${label ? `<span class="code-lang">${label}</span>` : ''}</figcaption>`
      : label
        ? `<span class="code-lang" aria-hidden="true">${label}</span>`
        : '';
    const notes = byHand.map((text) => `<div class="code-note" role="note">${escapeHtml(text)}</div>`).join('');
    return `<figure ${attrs.join(' ')}>${notes}${title}<pre class="shiki" tabindex="0"><code>${block.lines.join('\n')}</code></pre></figure>\n`;
  };
  md.renderer.rules.code_block = md.renderer.rules.fence;
}
