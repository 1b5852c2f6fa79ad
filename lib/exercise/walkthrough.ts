import { spawn } from 'node:child_process';
import { fillPlaceholders } from '../byhand/run.ts';
import { sleep } from '../clients/wait.ts';
import { ROOT } from '../paths.ts';
import { exercise } from './registry.ts';
import type { ExerciseContext } from './types.ts';

/** One typed command: on the attendee's machine (`$`) or on a host, as its ordinary user. */
interface Typed {
  host: '$' | string;
  command: string;
}

/** What Patroni's REST API on node $n answers to `path`: the status code only, as HAProxy's check sees it. */
const CODE = (path: string) => `$(curl -s -o /dev/null -w '%{http_code}' http://192.168.56.$n:8008${path})`;

/**
 * Exercises done by hand, as an attendee would: start, look with the chapter's own commands,
 * take a hint, fix, prove it with the check. `npm run record 8 -- --exercise haproxy-health-check`
 * records one for the chapter's page. Only commands of the chapter and its Troubleshooting.
 */
export const WALKTHROUGHS: Readonly<Record<string, readonly Typed[]>> = {
  'haproxy-health-check': [
    { host: '$', command: 'npm run exercise -- start haproxy-health-check' },
    {
      host: 'node1',
      command: `for i in 1 2 3; do PGPASSWORD=<app-password> psql -h 192.168.56.31 -p 5000 -U app appdb -c 'create temp table t (x int)'; done`,
    },
    {
      host: 'haproxynode',
      command: `curl -s -u admin:<haproxyStats-password> 'http://192.168.56.31:7000/;csv' | awk -F, '$1 == "primary" && $2 ~ /^node/ { print $1, $2, $18 }'`,
    },
    { host: '$', command: 'npm run exercise -- hint haproxy-health-check' },
    { host: 'haproxynode', command: 'grep -n httpchk /etc/haproxy/haproxy.cfg' },
    {
      host: 'haproxynode',
      command: `for n in 11 12 13; do echo "192.168.56.$n: /health ${CODE('/health')}, /primary ${CODE('/primary')}"; done`,
    },
    {
      host: 'haproxynode',
      command: `sudo sed -i 's|option httpchk GET /health$|option httpchk GET /primary|' /etc/haproxy/haproxy.cfg`,
    },
    { host: 'haproxynode', command: 'sudo systemctl reload haproxy' },
    { host: '$', command: 'npm run check 8' },
    { host: '$', command: 'npm run exercise -- done' },
  ],
};

const pause = sleep;

/** Runs a `$` command in the checkout, its output straight to the terminal (the recorder's pseudo-terminal). */
function onThisMachine(command: string, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, WORKBOOK_TARGET: target },
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/**
 * Plays a walkthrough: each command is shown with its prompt and placeholders, as the chapter
 * writes it, then run with the secrets filled in. Stops at a command that fails unexpectedly;
 * `npm run check` and `done` must succeed, the diagnosis commands may say anything.
 */
export async function playWalkthrough(name: string, ctx: ExerciseContext): Promise<boolean> {
  const steps = WALKTHROUGHS[exercise(name).name];
  if (!steps) throw new Error(`no walkthrough for ${name}: there is one for ${Object.keys(WALKTHROUGHS).join(', ')}`);
  for (const step of steps) {
    ctx.say(`\n${step.host === '$' ? '$' : `${step.host}$`} ${step.command}`);
    await pause(800);
    const filled = fillPlaceholders(step.command, ctx.secrets);
    if (step.host === '$') {
      const code = await onThisMachine(filled, ctx.target.name);
      if (code !== 0 && /^npm run (check|exercise -- (start|done))/.test(step.command)) return false;
    } else {
      const host = ctx.host(step.host);
      const { user } = await host.loginShell();
      const result = await host.run(filled, { user, check: false });
      const out = `${result.stdout}${result.stderr}`.trimEnd();
      if (out) ctx.say(out);
    }
    await pause(1200);
  }
  return true;
}
