import { HOSTS } from '../ip-plan.ts';
import { escapeHtml } from './html.ts';

/**
 * "Where you are": a small map of the hosts with the ones a chapter touches marked. The hosts
 * come from the chapter's own text, never from a list kept by hand: every host prompt
 * (`node1$ `, `etcdnode# `) in a shell block, every host of a `<!-- by-hand: repeat … -->`
 * marker, and `$ ` for the attendee's own machine.
 */

export const OWN_MACHINE = 'your machine';

const FENCE = /^(`{3,}|~{3,})\s*(\S*)/;
const SHELL = new Set(['sh', 'bash', 'console', 'shell']);
const REPEAT = /^<!--\s*by-hand:\s*repeat\s+(.+?)\s*-->\s*$/;

/** The hosts a chapter types on, in the inventory's order, `your machine` first when `$ ` appears. */
export function hostsTouched(markdown: string): string[] {
  const names = HOSTS.map((h) => h.name);
  const prompt = new RegExp(`^(?:(${names.join('|')}))?[$#] `);
  const found = new Set<string>();
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const repeat = REPEAT.exec(lines[i]);
    if (repeat) for (const h of repeat[1].split(/[\s,]+/)) if (names.includes(h)) found.add(h);
    const fence = FENCE.exec(lines[i]);
    if (!fence) continue;
    const close = new RegExp(`^${fence[1][0]}{${fence[1].length},}\\s*$`);
    let end = i + 1;
    for (; end < lines.length && !close.test(lines[end]); end++) {
      if (!SHELL.has(fence[2])) continue;
      const m = prompt.exec(lines[end]);
      // `# ` alone is a comment, not the root prompt of this machine.
      if (m && (m[1] || lines[end].startsWith('$ '))) found.add(m[1] ?? OWN_MACHINE);
    }
    i = end;
  }
  return [OWN_MACHINE, ...names].filter((h) => found.has(h));
}

const BOX_W = 160;
const BOX_H = 52;
const GAP_X = 16;
const GAP_Y = 20;
const WIDTH = 3 * BOX_W + 4 * GAP_X;

interface Box {
  name: string;
  address: string;
  role: string;
}

/**
 * The map as an inline SVG. The five hosts of chapters 1–10 always; the three of chapters 11–13
 * (etcdnode2, etcdnode3, haproxynode2) when the chapter touches one of them.
 */
export function whereYouAreSvg(touched: readonly string[], id: string): string {
  const extras = HOSTS.some((h) => !h.core && touched.includes(h.name));
  const shown = HOSTS.filter((h) => h.core || extras);
  const roleLabel = { postgres: 'PostgreSQL + Patroni', etcd: 'etcd', haproxy: 'HAProxy' } as const;
  const row = (role: 'postgres' | 'etcd' | 'haproxy'): Box[] =>
    shown.filter((h) => h.role === role).map((h) => ({ name: h.name, address: h.address, role: roleLabel[role] }));
  const rows: Box[][] = [
    [{ name: OWN_MACHINE, address: '192.168.56.1', role: 'the workbook, psql' }],
    row('haproxy'),
    row('postgres'),
    row('etcd'),
  ];
  const height = rows.length * BOX_H + (rows.length + 1) * GAP_Y;
  const boxes = rows.flatMap((boxesOfRow, r) => {
    const rowWidth = boxesOfRow.length * BOX_W + (boxesOfRow.length - 1) * GAP_X;
    const x0 = (WIDTH - rowWidth) / 2;
    const y = GAP_Y + r * (BOX_H + GAP_Y);
    return boxesOfRow.map((b, i) => {
      const x = x0 + i * (BOX_W + GAP_X);
      const on = touched.includes(b.name);
      return [
        `<g class="w-host${on ? ' w-touched' : ''}" data-host="${escapeHtml(b.name)}" data-touched="${on}">`,
        `<title>${escapeHtml(`${b.name}: ${b.role}, ${b.address}${on ? ', touched in this chapter' : ''}`)}</title>`,
        `<rect x="${x}" y="${y}" width="${BOX_W}" height="${BOX_H}" rx="9"/>`,
        `<text class="w-name" x="${x + 12}" y="${y + 22}">${escapeHtml(b.name)}${on ? ' ✓' : ''}</text>`,
        `<text class="w-role" x="${x + 12}" y="${y + 42}">${escapeHtml(b.address)}</text>`,
        '</g>',
      ].join('');
    });
  });
  const list = touched.length ? touched.join(', ') : 'none';
  return `<svg class="where-svg" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-title">Where you are</title>
<desc id="${id}-desc">The hosts of the cluster; this chapter types commands on: ${escapeHtml(list)}.</desc>
${boxes.join('\n')}
</svg>`;
}
