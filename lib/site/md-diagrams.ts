import type { MarkdownIt } from 'markdown-it';
import { architectureSvg } from './diagram.ts';
import type { PageEnv } from './markdown.ts';

/**
 * `<!-- diagram: NAME -->` right above a fenced block: the block is the diagram as text, for
 * GitHub and editors; the site shows the drawn one instead (an inline SVG that follows the
 * light or dark theme and can be enlarged on a phone).
 */
const MARKER = /^<!--\s*diagram:\s*([\w-]+)\s*-->\s*$/;

export const DIAGRAMS: Record<string, { svg: () => string; caption: string }> = {
  architecture: {
    svg: architectureSvg,
    caption:
      'The five hosts, on the private network 192.168.56.0/24 that is routed nowhere else, with the same addresses in the embedded lab and in the Vagrant virtual machines.',
  },
};

export function diagramFigure(name: string): string | undefined {
  const diagram = DIAGRAMS[name];
  if (!diagram) return undefined;
  return `<figure class="architecture" data-diagram="${name}">\n${diagram.svg()}\n<figcaption>${diagram.caption}</figcaption>\n</figure>\n`;
}

export function diagramsPlugin(md: MarkdownIt): void {
  md.core.ruler.after('block', 'workbook-diagrams', (state) => {
    const env = state.env as unknown as PageEnv;
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      const name = token.type === 'html_block' ? MARKER.exec(token.content.trim())?.[1] : undefined;
      if (!name) continue;
      const figure = diagramFigure(name);
      if (!figure || tokens[i + 1]?.type !== 'fence') {
        env.warnings.push(
          figure ? `<!-- diagram: ${name} --> is not right above a code block` : `there is no diagram called ${name}`,
        );
        continue;
      }
      token.content = figure;
      tokens.splice(i + 1, 1);
    }
  });
}
