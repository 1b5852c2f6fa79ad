import { POSTGRES_NODES } from '../ip-plan.ts';
import { escapeHtml } from '../site/html.ts';
import type { DrillRecord } from './record.ts';

const NODE_COLORS = ['#2563eb', '#0d9488', '#9333ea', '#ca8a04', '#db2777'];
const FAILED = '#dc2626';
const OTHER = '#64748b';
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

const W = 880;
const LEFT = 118;
const RIGHT = 24;
const ROWS = { ok: 112, failed: 154, leader: 204, direct: 232 } as const;
const ROW_H = 36;
const AXIS_Y = 262;
const H = 326;
/** Baselines of the three rows of mark labels above the chart. */
const MARK_LEVELS = [72, 85, 98];

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const fmt = (n: number) => (Math.round(n * 10) / 10).toFixed(1);

function colorOf(node: string | undefined): string {
  const i = POSTGRES_NODES.findIndex((n) => n.name === node);
  return i >= 0 ? NODE_COLORS[i % NODE_COLORS.length] : OTHER;
}

const nodeOfAddress = (address: string) => POSTGRES_NODES.find((n) => n.address === address)?.name;

/** The headline of a drill, as the chart and the terminal print it. */
export function drillHeadline(r: DrillRecord): string {
  const m = r.metrics;
  const back =
    m.backAfterSeconds === null
      ? 'writes did not come back'
      : m.writesNeverStopped
        ? 'writes never stopped'
        : `writes back after ${fmt(m.backAfterSeconds)} s`;
  const split =
    m.splitBrainWindowSeconds && m.splitBrainWindowSeconds >= 0.05
      ? ` · old primary took writes for ${fmt(m.splitBrainWindowSeconds)} s after the fault`
      : '';
  return `${back} · ${r.lost.length} acknowledged write${r.lost.length === 1 ? '' : 's'} lost${split}`;
}

export function drillTitle(r: DrillRecord): string {
  return [
    r.options.fault,
    `${r.options.profile} profile`,
    r.options.sync && 'synchronous_mode',
    r.options.failsafe && 'failsafe_mode',
  ]
    .filter(Boolean)
    .join(' · ');
}

/**
 * A self-contained SVG of one drill: every write attempt as a tick (acknowledged, coloured by the
 * node that acknowledged it, or failed), the leader over time, the outages shaded, and marks for
 * the fault, the new leader, writes back, the heal and the return to health. The x axis is
 * seconds from the fault. No script, no external font: it embeds anywhere, GitHub included.
 */
export function renderDrillChart(r: DrillRecord): string {
  const fault = r.marks.faultAt;
  const times = r.attempts.map((a) => a.at);
  const t0 = Math.min(fault - 1000, ...times);
  const t1 = Math.max(fault + 1000, ...times, r.marks.healthyAt ?? 0);
  const x = (ms: number) => LEFT + ((ms - t0) / (t1 - t0)) * (W - LEFT - RIGHT);
  const tickW = Math.max(1.2, Math.min(4, (x(t0 + 100) - x(t0)) * 0.75));
  const out: string[] = [];
  const title = drillTitle(r);
  const headline = drillHeadline(r);
  const leaders = `leader ${r.oldLeader} → ${r.newLeader}${
    r.timelineBefore !== undefined && r.timelineAfter !== undefined ? ` (timeline ${r.timelineBefore} → ${r.timelineAfter})` : ''
  }`;

  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="t d" font-family="${escapeHtml(FONT)}">`,
    `<title id="t">Failover drill: ${escapeHtml(title)}</title>`,
    `<desc id="d">${escapeHtml(`${r.what}. ${headline}; ${leaders}.`)}</desc>`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="16" y="24" font-size="16" font-weight="600" fill="#0f172a">${escapeHtml(title)}</text>`,
    `<text x="16" y="42" font-size="12.5" fill="#334155">${escapeHtml(headline)}</text>`,
    `<text x="16" y="58" font-size="12" fill="#334155">${escapeHtml(clip(`${leaders} · ${r.what.replace(/ \(.*\)$/, '')}`, 140))}</text>`,
  );

  // Outages: from the first failed write to the next acknowledged one.
  for (const o of r.metrics.outages) {
    const x0 = x(o.from);
    const x1 = x(o.to ?? t1);
    out.push(
      `<rect x="${fmt(x0)}" y="${ROWS.ok - 4}" width="${fmt(Math.max(1, x1 - x0))}" height="${ROWS.failed + ROW_H - ROWS.ok + 8}" fill="#fee2e2"><title>${escapeHtml(`${o.failed} failed writes, ${fmt(((o.to ?? t1) - o.from) / 1000)} s`)}</title></rect>`,
    );
  }

  // Row labels and baselines.
  const label = (y: number, text: string) =>
    `<text x="${LEFT - 10}" y="${y + ROW_H / 2 + 4}" font-size="12" text-anchor="end" fill="#334155">${escapeHtml(text)}</text>`;
  out.push(label(ROWS.ok, 'acknowledged'), label(ROWS.failed, 'failed'), label(ROWS.leader - 8, 'leader (Patroni)'));
  for (const y of [ROWS.ok, ROWS.failed]) {
    out.push(`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${y + ROW_H}" y2="${y + ROW_H}" stroke="#e2e8f0"/>`);
  }

  // One tick per write attempt.
  const ok: string[] = [];
  const failed: string[] = [];
  for (const a of r.attempts) {
    const xa = fmt(x(a.at) - tickW / 2);
    if (a.ok)
      ok.push(
        `<rect x="${xa}" y="${ROWS.ok}" width="${fmt(tickW)}" height="${ROW_H}" fill="${colorOf(nodeOfAddress(a.detail))}"/>`,
      );
    else failed.push(`<rect x="${xa}" y="${ROWS.failed}" width="${fmt(tickW)}" height="${ROW_H}" fill="${FAILED}"/>`);
  }
  out.push(`<g>${ok.join('')}</g>`, `<g>${failed.join('')}</g>`);

  // The leader key holder over time.
  const changes = r.leaderChanges.filter((c) => c.at <= t1);
  changes.forEach((c, i) => {
    const from = Math.max(t0, c.at);
    const to = i + 1 < changes.length ? changes[i + 1].at : t1;
    if (to <= from) return;
    const fill = c.leader ? colorOf(c.leader) : c.answered === 0 ? '#e2e8f0' : '#cbd5e1';
    const x0 = x(from);
    const w = Math.max(0.5, x(to) - x0);
    out.push(
      `<rect x="${fmt(x0)}" y="${ROWS.leader - 8}" width="${fmt(w)}" height="20" fill="${fill}" fill-opacity="${c.leader ? 0.85 : 1}"><title>${escapeHtml(c.leader ? `${c.leader} leads, timeline ${c.timeline ?? '?'}` : c.answered === 0 ? 'no Patroni answered' : 'no leader')}</title></rect>`,
    );
    const text = c.leader ? `${c.leader}, timeline ${c.timeline ?? '?'}` : c.answered === 0 ? 'no Patroni answers' : 'no leader';
    if (w > text.length * 6 + 10)
      out.push(
        `<text x="${fmt(x0 + 5)}" y="${ROWS.leader + 6}" font-size="11" fill="${c.leader ? '#ffffff' : '#334155'}">${escapeHtml(text)}</text>`,
      );
  });

  // The old leader's PostgreSQL asked directly: writable primary, read-only, or not answering.
  const direct = r.oldLeaderStates.filter((st) => st.at <= t1);
  if (direct.length) {
    out.push(label(ROWS.direct - 8, `${r.oldLeader}, direct`));
    direct.forEach((st, i) => {
      const from = Math.max(t0, st.at);
      const to = i + 1 < direct.length ? direct[i + 1].at : t1;
      if (to <= from) return;
      const x0 = x(from);
      const w = Math.max(0.5, x(to) - x0);
      const fill = st.state === 'primary' ? colorOf(r.oldLeader) : st.state === 'read-only' ? '#94a3b8' : '#e2e8f0';
      const text = st.state === 'primary' ? 'writable primary' : st.state === 'read-only' ? 'read-only' : 'no answer';
      out.push(
        `<rect x="${fmt(x0)}" y="${ROWS.direct - 8}" width="${fmt(w)}" height="20" fill="${fill}" fill-opacity="${st.state === 'primary' ? 0.85 : 1}"><title>${escapeHtml(`${r.oldLeader}: ${text}`)}</title></rect>`,
      );
      if (w > text.length * 6 + 10)
        out.push(
          `<text x="${fmt(x0 + 5)}" y="${ROWS.direct + 6}" font-size="11" fill="${st.state === 'primary' ? '#ffffff' : '#334155'}">${escapeHtml(text)}</text>`,
        );
    });
  }

  // Axis: seconds from the fault.
  const span = (t1 - t0) / 1000;
  const step = span > 120 ? 20 : span > 60 ? 10 : span > 24 ? 5 : 2;
  out.push(`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${AXIS_Y}" y2="${AXIS_Y}" stroke="#94a3b8"/>`);
  for (let s = Math.ceil((t0 - fault) / 1000 / step) * step; fault + s * 1000 <= t1; s += step) {
    const xs = fmt(x(fault + s * 1000));
    out.push(
      `<line x1="${xs}" x2="${xs}" y1="${AXIS_Y}" y2="${AXIS_Y + 5}" stroke="#94a3b8"/>`,
      `<text x="${xs}" y="${AXIS_Y + 18}" font-size="11" text-anchor="middle" fill="#475569">${s > 0 ? '+' : ''}${s}</text>`,
    );
  }
  out.push(
    `<text x="${W - RIGHT}" y="${AXIS_Y + 34}" font-size="11" text-anchor="end" fill="#475569">seconds from the fault</text>`,
  );

  // Marks, their labels staggered so that close ones stay readable.
  const m = r.marks;
  const back = r.metrics.outages.filter((o) => o.from < (m.healAt ?? Number.POSITIVE_INFINITY)).at(-1)?.to;
  const marks: [number | undefined, string, string][] = [
    [m.faultAt, 'fault', '#b91c1c'],
    [m.promotedAt, 'new leader', '#7c3aed'],
    [back, 'writes back', '#15803d'],
    [m.healAt, 'healed', '#334155'],
    [m.healthyAt, 'healthy', '#0f766e'],
  ];
  // Each label goes on the highest row where it overlaps no label placed before it.
  const placed: { from: number; to: number; level: number }[] = [];
  for (const [at, text, color] of marks) {
    if (at === undefined) continue;
    const xm = x(at);
    const label = `${text} ${at >= fault ? '+' : ''}${fmt((at - fault) / 1000)} s`;
    const width = label.length * 6 + 8;
    const anchorEnd = xm + width > W - 4;
    const from = anchorEnd ? xm - width : xm;
    const free = MARK_LEVELS.findIndex((_, level) =>
      placed.every((p) => p.level !== level || p.to < from || p.from > from + width),
    );
    const level = free >= 0 ? free : placed.length % MARK_LEVELS.length;
    placed.push({ from, to: from + width, level });
    const y = MARK_LEVELS[level];
    out.push(
      `<line x1="${fmt(xm)}" x2="${fmt(xm)}" y1="${y + 3}" y2="${AXIS_Y}" stroke="${color}" stroke-width="1.5" stroke-dasharray="4 3"/>`,
      `<text x="${fmt(anchorEnd ? xm - 3 : xm + 3)}" y="${y}" font-size="11" fill="${color}"${anchorEnd ? ' text-anchor="end"' : ''}>${escapeHtml(label)}</text>`,
    );
  }

  // Legend.
  const legend: [string, string][] = [
    ...POSTGRES_NODES.map((n, i): [string, string] => [NODE_COLORS[i % NODE_COLORS.length], `acknowledged by ${n.name}`]),
    [FAILED, 'failed'],
  ];
  let lx = LEFT;
  for (const [color, text] of legend) {
    out.push(
      `<rect x="${lx}" y="${H - 22}" width="10" height="10" fill="${color}"/>`,
      `<text x="${lx + 14}" y="${H - 13}" font-size="11" fill="#334155">${escapeHtml(text)}</text>`,
    );
    lx += 26 + text.length * 6;
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
