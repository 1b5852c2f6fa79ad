import type { MarkdownIt } from 'markdown-it';
import type { PageEnv } from './markdown.ts';
import { slugify } from './slug.ts';

/**
 * The glossary (workshop/glossary.md): one `### Term` heading per term, its definition the
 * paragraph below. A link to `glossary.md#term` anywhere in the workbook gets that definition's
 * first sentence as its tooltip, so a reader sees what the word means without leaving the page.
 */

export const GLOSSARY_FILE = 'glossary.md';

export interface GlossaryTerm {
  term: string;
  id: string;
  /** The first sentence of the definition, as plain text. */
  short: string;
}

const plain = (markdown: string) =>
  markdown
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/[`*_]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** The terms of the glossary, in its order. */
export function glossaryTerms(markdown: string): GlossaryTerm[] {
  const terms: GlossaryTerm[] = [];
  const parts = markdown.split(/^### /m).slice(1);
  for (const part of parts) {
    const [heading, ...rest] = part.split('\n');
    const term = heading.trim();
    const paragraph =
      rest
        .join('\n')
        .trim()
        .split(/\n\s*\n/)[0] ?? '';
    const text = plain(paragraph);
    const short = /^.*?[.!?](?=\s|$)/.exec(text)?.[0] ?? text;
    terms.push({ term, id: slugify(term), short });
  }
  return terms;
}

/** Links into the glossary get the term's short definition as a tooltip, and a class to style them. */
export function glossaryPlugin(md: MarkdownIt): void {
  md.core.ruler.push('workbook-glossary', (state) => {
    const env = state.env as unknown as PageEnv;
    const terms = env.glossary;
    if (!terms) return;
    for (const block of state.tokens) {
      for (const token of block.children ?? []) {
        if (token.type !== 'link_open') continue;
        const href = String(token.attrGet('href') ?? '');
        const m = /(?:^|\/)glossary\.md#([\w-]+)$/.exec(href);
        if (!m) continue;
        const term = terms.get(m[1]);
        if (!term) {
          env.warnings.push(`link to "${href}": the glossary has no term with that id`);
          continue;
        }
        token.attrJoin('class', 'glossary-link');
        if (!token.attrGet('title')) token.attrSet('title', term.short);
      }
    }
  });
}
