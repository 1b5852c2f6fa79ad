import type { MarkdownIt } from 'markdown-it';
import { INCLUDE_CLOSE, INCLUDE_OPEN, includeTitle } from '../chapters/includes.ts';
import { escapeHtml } from './html.ts';
import type { PageEnv } from './markdown.ts';

/**
 * `<!-- include: PATH -->` … `<!-- /include -->` hold a verbatim copy of PATH (CONTRIBUTING.md).
 * The comments go; the code block between them is tagged with PATH so the fence renderer can
 * title it with the file name.
 */
export function includesPlugin(md: MarkdownIt): void {
  md.core.ruler.after('block', 'workbook-includes', (state) => {
    const tokens = state.tokens;
    const env = state.env as unknown as PageEnv;
    let spec: string | undefined;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (token.type === 'html_block') {
        const open = INCLUDE_OPEN.exec(token.content.trim());
        if (open) {
          spec = open[1];
          tokens.splice(i--, 1);
          continue;
        }
        if (INCLUDE_CLOSE.test(token.content.trim())) {
          if (spec) {
            // An include that holds nothing yet: say so on the page instead of showing a gap.
            env.warnings.push(`the include of ${spec} is empty: run npm run sync-chapters`);
            token.content = `<p class="include-missing">${escapeHtml(includeTitle(spec))} is not copied into this chapter yet (<code>npm run sync-chapters</code>).</p>\n`;
            spec = undefined;
            continue;
          }
          tokens.splice(i--, 1);
          continue;
        }
      }
      if (spec && token.type === 'fence') {
        token.meta = { ...(token.meta ?? {}), include: spec };
        spec = undefined;
      }
    }
  });
}
