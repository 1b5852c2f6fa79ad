/**
 * The architecture of the workbook's cluster as an inline SVG: the five hosts, their addresses
 * (lib/ip-plan.ts) and ports. Colours come from CSS variables, so it follows the light or dark theme
 * and prints in black on white; the text is real text, so it can be selected and searched.
 */

interface Pill {
  x: number;
  y: number;
  w: number;
  label: string;
  port: string;
}

const pill = ({ x, y, w, label, port }: Pill) =>
  `<g class="d-pill"><rect x="${x}" y="${y}" width="${w}" height="24" rx="12"/><text x="${x + 12}" y="${y + 16.5}"><tspan class="d-port">${port}</tspan> ${label}</text></g>`;

function host(o: { x: number; y: number; w: number; h: number; name: string; ip: string; role: string; pills: Pill[] }): string {
  return [
    `<g class="d-host" data-host="${o.name}">`,
    `<rect class="d-box" x="${o.x}" y="${o.y}" width="${o.w}" height="${o.h}" rx="12"/>`,
    `<text class="d-name" x="${o.x + 18}" y="${o.y + 28}">${o.name}</text>`,
    `<text class="d-ip" x="${o.x + o.w - 18}" y="${o.y + 28}" text-anchor="end">${o.ip}</text>`,
    `<text class="d-role" x="${o.x + 18}" y="${o.y + 50}">${o.role}</text>`,
    ...o.pills.map(pill),
    '</g>',
  ].join('');
}

function node(n: number, x: number): string {
  const y = 300;
  return host({
    x,
    y,
    w: 260,
    h: 140,
    name: `node${n}`,
    ip: `192.168.56.${10 + n}`,
    role: 'PostgreSQL 15 + Patroni',
    pills: [
      { x: x + 18, y: y + 66, w: 170, port: ':5432', label: 'PostgreSQL' },
      { x: x + 18, y: y + 98, w: 190, port: ':8008', label: 'Patroni REST API' },
    ],
  });
}

const arrow = (x1: number, y1: number, x2: number, y2: number, cls = '') =>
  `<line class="d-link ${cls}" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" marker-end="url(#d-arrow)"/>`;

const label = (x: number, y: number, text: string, anchor = 'middle') =>
  `<text class="d-label" x="${x}" y="${y}" text-anchor="${anchor}">${text}</text>`;

export function architectureSvg(): string {
  return `<svg class="diagram" viewBox="0 0 960 636" role="img" aria-labelledby="d-title d-desc" xmlns="http://www.w3.org/2000/svg">
<title id="d-title">The cluster: five hosts on 192.168.56.0/24</title>
<desc id="d-desc">Clients connect to HAProxy on haproxynode (192.168.56.31): port 5000 leads to the primary, port 5001 to the replicas, port 7000 shows the statistics page. HAProxy forwards SQL to PostgreSQL on port 5432 of node1, node2 and node3 (192.168.56.11 to 13) and asks Patroni's REST API on port 8008 which node is the primary. Patroni on each node keeps the leader key in etcd on etcdnode (192.168.56.21), client port 2379, peer port 2380. The leader streams its WAL to the two replicas.</desc>
<defs><marker id="d-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="d-arrowhead" d="M0 0L10 5L0 10z"/></marker></defs>
<g class="d-client"><rect class="d-box d-box-client" x="350" y="12" width="260" height="44" rx="22"/><text class="d-name" x="480" y="39" text-anchor="middle">Clients: psql, applications</text></g>
${arrow(480, 56, 480, 104)}
${label(496, 86, 'read-write :5000 · read-only :5001', 'start')}
${host({
  x: 250,
  y: 108,
  w: 460,
  h: 110,
  name: 'haproxynode',
  ip: '192.168.56.31',
  role: 'HAProxy 2.6: sends each client to the right node',
  pills: [
    { x: 268, y: 178, w: 128, port: ':5000', label: 'primary' },
    { x: 404, y: 178, w: 136, port: ':5001', label: 'replicas' },
    { x: 548, y: 178, w: 112, port: ':7000', label: 'stats' },
  ],
})}
${arrow(380, 218, 190, 296)}${arrow(480, 218, 480, 296)}${arrow(580, 218, 770, 296)}
${label(480, 262, 'SQL to :5432 · health checks GET /primary, /replica on :8008')}
${node(1, 40)}${node(2, 350)}${node(3, 660)}
<line class="d-link d-repl" x1="300" y1="370" x2="350" y2="370"/><line class="d-link d-repl" x1="610" y1="370" x2="660" y2="370"/>
${arrow(200, 440, 390, 516, 'd-dcs')}${arrow(480, 440, 480, 516, 'd-dcs')}${arrow(760, 440, 570, 516, 'd-dcs')}
${label(480, 466, 'the leader streams WAL to the replicas (dashed)')}
${label(40, 494, 'Patroni holds the leader key', 'start')}${label(40, 512, 'in etcd, port 2379', 'start')}
${host({
  x: 300,
  y: 520,
  w: 360,
  h: 100,
  name: 'etcdnode',
  ip: '192.168.56.21',
  role: 'etcd 3.4: the leader lock',
  pills: [
    { x: 318, y: 582, w: 116, port: ':2379', label: 'client' },
    { x: 442, y: 582, w: 100, port: ':2380', label: 'peer' },
  ],
})}
</svg>`;
}
