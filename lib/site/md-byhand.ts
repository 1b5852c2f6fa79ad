import type { MarkdownIt } from 'markdown-it';

const MARKER = /^<!--\s*by-hand:\s*(skip|only|repeat)\b\s*(.*?)\s*-->\s*$/;
const TARGETS: Record<string, string> = { lab: 'the lab', vagrant: 'Vagrant', ssh: 'your own servers (ssh)' };

/** The words a reader sees for a by-hand marker (CONTRIBUTING.md, "By hand, as typed"). */
export function byHandCaption(kind: string, arg: string): string {
  const words = arg.split(/[\s,]+/).filter(Boolean);
  const list = (items: string[]) => (items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : items[0]);
  if (kind === 'skip') return `Shown, not typed by the by-hand test: ${arg.replace(/^\(|\)$/g, '')}`;
  if (kind === 'only') return `Only on ${list(words.map((w) => TARGETS[w] ?? w))}`;
  return `Then the same on ${list(words)}`;
}

/**
 * `<!-- by-hand: skip (why) -->`, `only lab` and `repeat node2 node3` above a session block are
 * invisible on GitHub, but the site shows them: the fence below gets a caption with the words.
 */
export function byHandPlugin(md: MarkdownIt): void {
  md.core.ruler.after('block', 'workbook-by-hand', (state) => {
    const tokens = state.tokens;
    const captions: string[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      const m = token.type === 'html_block' ? MARKER.exec(token.content.trim()) : null;
      if (m) {
        captions.push(byHandCaption(m[1], m[2]));
        tokens.splice(i--, 1);
        continue;
      }
      if (captions.length && token.type === 'fence') {
        token.meta = { ...(token.meta ?? {}), byHand: captions.splice(0) };
      }
    }
  });
}
