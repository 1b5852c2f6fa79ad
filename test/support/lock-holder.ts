/**
 * A process that takes a run lock as the CLIs do, for test/unit/run-lock.test.ts:
 *   tsx test/support/lock-holder.ts <target> <hold ms | until:FILE> [--log FILE] [--child]
 * Prints what the lock says on stderr; appends "enter <pid> <ms>" / "leave <pid> <ms>" to the
 * log, so a test can prove that no two holders overlapped. --child: while holding, runs itself
 * again as a child (with the environment it passes on) and waits for it.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { main } from '../../lib/cli/errors.ts';
import { sleep } from '../../lib/clients/wait.ts';
import { holdRunLock } from '../../lib/run-lock.ts';
import type { TargetName } from '../../lib/target.ts';

const [target, holdMs, ...rest] = process.argv.slice(2);
const log = rest.includes('--log') ? rest[rest.indexOf('--log') + 1] : undefined;
await main(async () => {
  const lock = await holdRunLock(target as TargetName, { command: process.env.LOCK_TEST_COMMAND, pollMs: 50 });
  console.log(`${lock.how} ${process.pid}`);
  if (log) appendFileSync(log, `enter ${process.pid} ${Date.now()}\n`);
  // A number of milliseconds, or `until:FILE`: hold until the test creates that file.
  if (holdMs.startsWith('until:')) while (!existsSync(holdMs.slice(6))) await sleep(25);
  else await sleep(Number(holdMs));
  if (rest.includes('--child')) {
    const env = { ...process.env };
    if (rest.includes('--no-env')) delete env.WORKBOOK_LOCK_HELD;
    const child = spawnSync(process.execPath, ['--import', 'tsx', process.argv[1], target, '0'], {
      env,
      encoding: 'utf8',
      timeout: 20000,
    });
    console.log(`child: ${child.stdout.trim()} ${child.stderr.trim()}`.trim());
  }
  if (log) appendFileSync(log, `leave ${process.pid} ${Date.now()}\n`);
  return 0;
});
