import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { CORE_HOSTS } from '../ip-plan.ts';
import { assertRoot, labDown, labStatus, labUp } from '../lab/lab.ts';
import { parseLabArgs } from '../lab/lab-args.ts';
import { labCommandArgv } from '../lab/lab-host.ts';
import { assertInLabNetns, assertRoutedIntoLab } from '../lab/safety.ts';
import { holdRunLock } from '../run-lock.ts';
import { targetStateDir } from '../target.ts';
import { main } from './errors.ts';

await main(async () => {
  const lab = parseLabArgs(process.argv.slice(2));
  switch (lab.command) {
    case 'up': {
      await holdRunLock('lab');
      const { extras } = lab;
      console.log(`lab: bringing up ${['the five hosts', ...extras.map((h) => h.name)].join(', ')} on this machine`);
      const changes = await labUp((line) => console.log(line), [...CORE_HOSTS, ...extras]);
      console.log(changes.length ? `lab is up (${changes.length} changes)` : 'lab is up (no change)');
      return 0;
    }
    case 'down': {
      await holdRunLock('lab');
      console.log('lab: tearing down (the unreachable route for 192.168.56.0/24 stays)');
      await labDown((line) => console.log(line));
      // The cluster is gone, so are its secrets: the next cluster gets new ones.
      await rm(targetStateDir('lab'), { recursive: true, force: true });
      console.log('lab is down');
      return 0;
    }
    case 'status': {
      assertRoot();
      assertInLabNetns();
      for (const { spec, up, services } of await labStatus()) {
        const svc = services.map((s) => `${s.unit}(${s.pid})`).join(' ') || (up ? 'no services' : '');
        console.log(`${spec.name.padEnd(12)} ${spec.address.padEnd(14)} ${(up ? 'up' : 'down').padEnd(5)} ${svc}`);
      }
      return 0;
    }
    case 'shell':
    case 'exec': {
      assertRoot();
      await assertRoutedIntoLab(lab.host.address); // inside the lab's network namespace, too
      const argv = labCommandArgv(lab.host.name, lab.command, lab.command === 'exec' ? lab.args : [], process.env.TERM);
      return spawnSync(argv[0], argv.slice(1), { stdio: 'inherit' }).status ?? 1;
    }
  }
});
