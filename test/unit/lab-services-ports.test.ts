import assert from 'node:assert/strict';
import type { RunOptions, RunResult } from '../../lib/host/host.ts';
import { ShellHost } from '../../lib/host/shell-host.ts';
import { LabServices } from '../../lib/lab/lab-services.ts';

/**
 * A lab service is not started while another process of its host holds one of its ports (the
 * message names port, process, pid and the kill command; produced for real in
 * test/lab/995-wrong-environment.test.ts). Its own programs are no conflict: the lab suite's
 * patroni-kill drill leaves PostgreSQL running on 5432, and the next Patroni adopts it.
 */
class ScriptedLabHost extends ShellHost {
  readonly commands: string[] = [];
  readonly services: LabServices = new LabServices(this);
  started = false;
  constructor(private readonly listeners: string) {
    super('node2', '192.168.56.12');
  }
  async run(command: string, options: RunOptions = {}): Promise<RunResult> {
    this.commands.push(command);
    let stdout = '';
    let exitCode = 0;
    if (command.includes('/lib/systemd/system/patroni.service'))
      stdout = '[Service]\nUser=postgres\nGroup=postgres\nExecStart=/usr/bin/patroni /etc/patroni/config.yml\n';
    else if (command.includes('systemd/system/')) exitCode = 3;
    else if (command.startsWith('start-stop-daemon --status')) exitCode = this.started ? 0 : 3;
    else if (command === 'ss -ltnpH') stdout = this.listeners;
    else if (command.includes('start-stop-daemon --start')) this.started = true;
    const result = { stdout, stderr: '', exitCode };
    if (options.check !== false && exitCode !== 0) throw new Error(`${command} failed`);
    return result;
  }
}

const listener = (port: number, name: string, pid: number) =>
  `LISTEN 0      200    0.0.0.0:${port} 0.0.0.0:* users:(("${name}",pid=${pid},fd=6))\n`;

describe('lab services: a port already taken', function () {
  this.timeout(10000);

  it('refuses to start Patroni while another program holds 5432, naming it and the command that stops it', async () => {
    const host = new ScriptedLabHost(listener(22, 'sshd', 90) + listener(5432, 'python3', 4242));
    await assert.rejects(
      host.services.start('patroni'),
      new Error(
        'patroni cannot start on node2: port 5432 is already taken there by python3 (pid 4242).\n  Stop that process (`npm run lab -- exec node2 -- kill 4242`), then run this again.',
      ),
    );
    assert.equal(host.started, false);
  });

  it('starts Patroni next to the PostgreSQL a killed Patroni left running (the next one adopts it)', async () => {
    const host = new ScriptedLabHost(listener(5432, 'postgres', 4243));
    assert.equal(await host.services.start('patroni'), true);
    assert.equal(host.started, true);
  });
});
