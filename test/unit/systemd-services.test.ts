import assert from 'node:assert/strict';
import type { RunOptions, RunResult } from '../../lib/host/host.ts';
import { ShellHost } from '../../lib/host/shell-host.ts';
import { SystemdServices, unitName } from '../../lib/host/systemd-services.ts';

type Reply = Partial<RunResult> | ((command: string) => Partial<RunResult>);

/** A host that records command lines and answers them from a script (first matching pattern). */
class ScriptedHost extends ShellHost {
  readonly commands: string[] = [];
  readonly services: SystemdServices = new SystemdServices(this, 0);
  constructor(private readonly replies: [RegExp, Reply][]) {
    super('node1', '192.168.56.11');
  }
  async run(command: string, options: RunOptions = {}): Promise<RunResult> {
    this.commands.push(command);
    const found = this.replies.find(([pattern]) => pattern.test(command));
    const reply = found ? (typeof found[1] === 'function' ? found[1](command) : found[1]) : {};
    const result = { stdout: '', stderr: '', exitCode: 0, ...reply };
    if (options.check !== false && result.exitCode !== 0) throw new Error(`${command} failed`);
    return result;
  }
}

/** systemd's answers for a unit that starts when asked. */
function machine(initiallyActive: boolean, opts: { needReload?: boolean; diesAtStart?: boolean } = {}) {
  let active = initiallyActive;
  return new ScriptedHost([
    [/^systemctl is-active /, () => ({ stdout: active ? 'active\n' : 'inactive\n', exitCode: active ? 0 : 3 })],
    [/^systemctl show -p NeedDaemonReload/, { stdout: opts.needReload ? 'yes\n' : 'no\n' }],
    [
      /^systemctl (start|restart) /,
      () => {
        active = !opts.diesAtStart;
        return {};
      },
    ],
    [
      /^systemctl stop /,
      () => {
        active = false;
        return {};
      },
    ],
    [/^journalctl /, { stdout: 'patroni[812]: FATAL: bad config\n' }],
  ]);
}

describe('systemd services (the VMs and servers)', () => {
  it('names units as systemctl does', () => {
    assert.equal(unitName('patroni'), 'patroni.service');
    assert.equal(unitName('etcd.service'), 'etcd.service');
    assert.equal(unitName('multi-user.target'), 'multi-user.target');
  });

  it('starts a stopped service with systemctl and confirms it stayed up', async () => {
    const host = machine(false);
    assert.equal(await host.services.start('patroni'), true);
    assert.deepEqual(host.commands, [
      'systemctl is-active patroni.service',
      'systemctl show -p NeedDaemonReload --value patroni.service',
      'systemctl start patroni.service',
      'systemctl is-active patroni.service',
    ]);
  });

  it('leaves a running service alone (a second run changes nothing)', async () => {
    const host = machine(true);
    assert.equal(await host.services.start('patroni'), false);
    assert.deepEqual(host.commands, ['systemctl is-active patroni.service']);
  });

  it('reloads systemd first when the unit file changed on disk', async () => {
    const host = machine(false, { needReload: true });
    await host.services.start('patroni');
    assert.ok(host.commands.indexOf('systemctl daemon-reload') < host.commands.indexOf('systemctl start patroni.service'));
  });

  it('shows the journal when a service dies right after it started', async () => {
    const host = machine(false, { diesAtStart: true });
    await assert.rejects(
      host.services.start('patroni'),
      /patroni\.service did not stay up .* on node1\nthe end of `journalctl -u patroni\.service`:\npatroni\[812\]: FATAL: bad config/s,
    );
  });

  it('stops a running service, and a stopped one is no change', async () => {
    const host = machine(true);
    assert.equal(await host.services.stop('etcd'), true);
    assert.ok(host.commands.includes('systemctl stop etcd.service'));
    assert.equal(await host.services.stop('etcd'), false);
    assert.equal(await host.services.status('etcd'), 'stopped');
  });

  it('says why systemctl failed', async () => {
    const host = new ScriptedHost([
      [/^systemctl is-active /, { stdout: 'inactive\n', exitCode: 3 }],
      [/^systemctl start /, { stderr: 'Failed to start patroni.service: Unit patroni.service not found.\n', exitCode: 5 }],
    ]);
    await assert.rejects(
      host.services.start('patroni'),
      /`systemctl start patroni.service` failed on node1: Failed to start patroni.service: Unit patroni.service not found\./,
    );
  });

  it("enables a unit once, and refuses the guide's WantedBy=multi-user.targ typo", async () => {
    const unit = (wantedBy: string) =>
      `# /etc/systemd/system/patroni.service\n[Service]\nExecStart=/usr/bin/patroni /etc/patroni.yml\n[Install]\nWantedBy=${wantedBy}\n`;
    let enabled = false;
    const good = new ScriptedHost([
      [/^systemctl is-enabled /, () => ({ stdout: enabled ? 'enabled\n' : 'disabled\n', exitCode: enabled ? 0 : 1 })],
      [/^systemctl cat /, { stdout: unit('multi-user.target') }],
      [
        /^systemctl enable /,
        () => {
          enabled = true;
          return {};
        },
      ],
    ]);
    assert.equal(await good.services.enable('patroni'), true);
    assert.ok(good.commands.includes('systemctl enable patroni.service'));
    assert.equal(await good.services.enable('patroni'), false);
    assert.equal(await good.services.isEnabled('patroni'), true);

    const typo = new ScriptedHost([
      [/^systemctl is-enabled /, { stdout: 'disabled\n', exitCode: 1 }],
      [/^systemctl cat /, { stdout: unit('multi-user.targ') }],
    ]);
    await assert.rejects(typo.services.enable('patroni'), /WantedBy=multi-user\.targ is not a unit name/);
    assert.ok(!typo.commands.some((c) => c.startsWith('systemctl enable')));
  });

  it('counts starting and stopping as running, failed as stopped', async () => {
    for (const [state, expected] of [
      ['activating', 'running'],
      ['deactivating', 'running'],
      ['reloading', 'running'],
      ['failed', 'stopped'],
      ['unknown', 'stopped'],
    ] as const) {
      const host = new ScriptedHost([
        [/^systemctl is-active /, { stdout: `${state}\n`, exitCode: state === 'reloading' ? 0 : 3 }],
      ]);
      assert.equal(await host.services.status('patroni'), expected, state);
    }
  });
});
