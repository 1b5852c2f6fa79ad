import type { MarkdownIt, Token } from 'markdown-it';
import type { PageEnv } from './markdown.ts';

export const SECTION = {
  byHand: 'By hand',
  step: 'The step',
  check: 'The check',
  whatYouShouldSee: 'What you should see',
  differences: 'Differences from the original guide',
  troubleshooting: 'Troubleshooting',
  /** "Exercise: …", the chapter's fault exercise (npm run exercise): its recording, when there is one, ends it. */
  exercise: 'Exercise:',
} as const;

/** Where the h2 section that starts at `start` ends: the next h1/h2, or the end of the page. */
function sectionEnd(tokens: Token[], start: number): number {
  for (let i = start + 1; i < tokens.length; i++) {
    if (tokens[i].type === 'heading_open' && (tokens[i].tag === 'h2' || tokens[i].tag === 'h1')) return i;
  }
  return tokens.length;
}

function html(state: { Token: new (type: string, tag: string, nesting: -1 | 0 | 1) => Token }, content: string): Token {
  const token = new state.Token('html_block', '', 0);
  token.content = content;
  return token;
}

/**
 * Chapter sections with a job on the site: "Differences from the original guide" becomes a
 * styled box, "What you should see" ends with the chapter's terminal recording, and
 * "Exercise: …" with the recording of the exercise done by hand.
 */
export function sectionsPlugin(md: MarkdownIt): void {
  md.core.ruler.push('workbook-sections', (state) => {
    const env = state.env as unknown as PageEnv;
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (token.type !== 'heading_open' || token.tag !== 'h2') continue;
      const text = (token.meta?.text as string | undefined)?.trim();
      if (text === SECTION.differences) {
        const end = sectionEnd(tokens, i);
        tokens.splice(end, 0, html(state, '</section>\n'));
        tokens.splice(i, 0, html(state, `<section class="differences" aria-labelledby="${token.meta?.id}">\n`));
        i = end + 1;
      } else if (text === SECTION.whatYouShouldSee && env.recordingHtml) {
        const end = sectionEnd(tokens, i);
        tokens.splice(end, 0, html(state, env.recordingHtml));
        i = end;
      } else if (text?.startsWith(SECTION.exercise) && env.exerciseRecordingHtml) {
        const end = sectionEnd(tokens, i);
        tokens.splice(end, 0, html(state, env.exerciseRecordingHtml));
        i = end;
      }
    }
  });
}
