/**
 * One line for every npm script of the workbook: the only place these descriptions live.
 * `npm run help` prints them; test/unit/help.test.ts fails when a script in package.json has
 * no line here, or a line here names a script package.json does not have.
 */
export interface ScriptHelp {
  /** Where `npm run help` lists it. */
  group: 'Workbook' | 'Site' | 'Development';
  /** Arguments as a person types them after the script name, if any. */
  args?: string;
  /** What it does, in one line. */
  does: string;
}

export const SCRIPTS_HELP: Readonly<Record<string, ScriptHelp>> = {
  help: { group: 'Workbook', does: 'this list' },
  chapter: {
    group: 'Workbook',
    args: '<n|all>',
    does: 'apply a chapter, then run its check  (-- --target lab|vagrant|ssh, --catch-up, --by-hand)',
  },
  check: { group: 'Workbook', args: '<n|all>', does: 'only run the check, e.g. after typing a chapter by hand  (-- --target …)' },
  target: {
    group: 'Workbook',
    args: '-- <lab|vagrant|ssh>',
    does: 'choose the machines once for the workshop (saved in .workbook/target); no name: show the choice',
  },
  lab: {
    group: 'Workbook',
    args: '-- <command>',
    does: 'the embedded lab (root): up | down | status | shell <host> | exec <host> -- <cmd>',
  },
  drill: {
    group: 'Workbook',
    args: '-- --fault <f>',
    does: 'failover drill on a healthy cluster: inject a fault, measure recovery and lost writes (--restore)',
  },
  exercise: {
    group: 'Workbook',
    args: '-- <command>',
    does: 'fault exercises on the running cluster: list | start <name> | hint <name> | solve <name> | status | done',
  },
  site: { group: 'Site', does: 'build the chapters into the static site in site/dist' },
  'site:serve': { group: 'Site', does: 'build, serve on http://127.0.0.1:4173 and rebuild on every change (Ctrl-C stops)' },
  record: { group: 'Site', args: '<n>', does: 'record `npm run chapter <n>` for the site’s "What you should see"' },
  'bench:exercises': {
    group: 'Development',
    args: '-- [name …]',
    does: 'time every fault exercise on the built lab cluster (bench/results/exercises-<date>.md)',
  },
  'bench:site': { group: 'Site', does: 'time the site build' },
  times: {
    group: 'Site',
    args: '[-- one-day|two-day]',
    does: 'each chapter’s time (measured by-hand seconds + typing + reading) and the workshop schedules built from it',
  },
  test: {
    group: 'Development',
    does: 'every suite: unit, site in a browser, every chapter on the lab, typed by hand in a second lab beside it (root)',
  },
  'test:unit': {
    group: 'Development',
    does: 'unit tests: no machines; as root also other users, sshd and vagrant (a minute or two)',
  },
  'test:lab': {
    group: 'Development',
    does: 'every chapter on a lab built from nothing: fails before, passes after, changes nothing twice (root)',
  },
  'test:lab:by-hand': {
    group: 'Development',
    does: 'the by-hand pass alone: chapters 1–16 typed on a lab built from nothing, every check and sample (root)',
  },
  'test:site': { group: 'Development', does: 'build the site and test it in a real browser (Debian chromium)' },
  'test:vms': {
    group: 'Development',
    args: '-- [--box-only] [--keep] [--rebuild-box] [--by-hand[=N]]',
    does: 'the vagrant target on five real VMs from a box built here, the time of each phase (root, minutes)',
  },
  lint: { group: 'Development', does: 'biome and the TypeScript compiler; changes nothing' },
  format: { group: 'Development', does: 'let biome fix formatting and safe lint findings' },
  'sync-chapters': {
    group: 'Development',
    does: 'refresh the copies of steps, checks and configurations inside chapters/*.md  (--check: only report)',
  },
  bench: {
    group: 'Development',
    does: 'time the lab from nothing to a healthy cluster, and the re-runs (root; tears the lab down)',
  },
  'bench:failover': {
    group: 'Development',
    does: 'failover figures for every fault and timing profile, several runs each (root; a healthy cluster)',
  },
};

const GROUPS: readonly ScriptHelp['group'][] = ['Workbook', 'Site', 'Development'];

/** The text of `npm run help`: every script of package.json, grouped, one line each. */
export function renderHelp(scripts: Readonly<Record<string, string>>): string {
  const names = Object.keys(scripts);
  const left = (name: string) => `npm run ${name}${SCRIPTS_HELP[name]?.args ? ` ${SCRIPTS_HELP[name].args}` : ''}`;
  const width = Math.max(...names.map((n) => left(n).length));
  const lines: string[] = [];
  for (const group of GROUPS) {
    const inGroup = Object.keys(SCRIPTS_HELP).filter((n) => SCRIPTS_HELP[n].group === group && n in scripts);
    if (inGroup.length === 0) continue;
    lines.push(`${lines.length ? '\n' : ''}${group}`);
    for (const name of inGroup) lines.push(`  ${left(name).padEnd(width)}  ${SCRIPTS_HELP[name].does}`);
  }
  const undescribed = names.filter((n) => !(n in SCRIPTS_HELP));
  if (undescribed.length) {
    lines.push('\nNot described yet (add them to lib/cli/scripts-help.ts)');
    for (const name of undescribed) lines.push(`  ${left(name).padEnd(width)}  ${scripts[name]}`);
  }
  return lines.join('\n');
}
