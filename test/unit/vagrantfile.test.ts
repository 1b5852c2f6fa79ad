import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { HOSTS } from '../../lib/ip-plan.ts';
import { ROOT } from '../../lib/paths.ts';
import { VagrantCli } from '../../lib/vagrant/vagrant-cli.ts';

const exec = promisify(execFile);

/** `vagrant validate`, in a throwaway VAGRANT_HOME; returns the exit code and output. */
async function validate(env: Record<string, string> = {}, home = tmpdir()): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await exec('vagrant', ['validate', '--ignore-provider'], {
      cwd: ROOT,
      env: { ...process.env, VAGRANT_HOME: home, VAGRANT_CHECKPOINT_DISABLE: '1', VAGRANT_NO_COLOR: '1', ...env },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('the Vagrantfile', function () {
  this.timeout(60000);
  let home = '';

  before(async function () {
    if (!(await new VagrantCli().installed())) {
      // CI installs Debian's vagrant; a laptop without it only skips the validation.
      if (process.env.CI || process.env.WORKBOOK_REQUIRE_VAGRANT)
        throw new Error('vagrant is not installed: apt-get install --no-install-recommends vagrant');
      console.log('      skipped: vagrant is not installed (apt-get install --no-install-recommends vagrant)');
      this.skip();
    }
    home = await mkdtemp(`${tmpdir()}/wb-vagrant-home-`);
  });

  after(async () => {
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('passes `vagrant validate --ignore-provider`', async () => {
    const { code, output } = await validate({}, home);
    assert.equal(code, 0, output);
    assert.match(output, /Vagrantfile validated successfully/);
  });

  it('takes another box, memory and CPUs from the environment', async () => {
    const { code, output } = await validate(
      {
        WORKBOOK_BOX: 'example/bookworm-arm64',
        WORKBOOK_PG_MEMORY: '1024',
        WORKBOOK_MEMORY: '384',
        WORKBOOK_CPUS: '2',
        WORKBOOK_APT_PROXY: 'http://192.168.56.1:3142',
      },
      home,
    );
    assert.equal(code, 0, output);
  });

  it('refuses a setting that is not a number, naming it', async () => {
    const { code, output } = await validate({ WORKBOOK_PG_MEMORY: '1G' }, home);
    assert.notEqual(code, 0);
    assert.match(output, /WORKBOOK_PG_MEMORY must be a whole number, not "1G"/);
  });
});

describe('the Vagrantfile and the IP plan', () => {
  it('defines every machine of lib/ip-plan.ts, same address and role; only the five core ones start by default', async () => {
    const text = await readFile(`${ROOT}/Vagrantfile`, 'utf8');
    const rows = [...text.matchAll(/\{ name: "([^"]+)",\s*ip: "([^"]+)",\s*role: "([^"]+)",\s*autostart: (true|false) \}/g)].map(
      (m) => ({
        name: m[1],
        address: m[2],
        role: m[3],
        core: m[4] === 'true',
      }),
    );
    assert.deepEqual(
      rows,
      HOSTS.map(({ name, address, role, core }) => ({ name, address, role, core })),
    );
  });
});

describe('provision/hosts.sh', () => {
  const plan = '192.168.56.11 node1\n192.168.56.12 node2';

  async function provision(hosts: string): Promise<{ text: string; output: string }> {
    const dir = await mkdtemp(`${tmpdir()}/wb-hosts-`);
    try {
      await writeFile(`${dir}/hosts`, hosts);
      const { stdout } = await exec('sh', [`${ROOT}/provision/hosts.sh`, plan], {
        env: { ...process.env, HOSTS_FILE: `${dir}/hosts` },
      });
      return { text: await readFile(`${dir}/hosts`, 'utf8'), output: stdout };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it("maps every machine to its private address, the machine's own name included (no 127.0.1.1)", async () => {
    const { text } = await provision(
      '127.0.0.1\tlocalhost\n127.0.1.1 node1 node1\n192.168.56.11\tnode1\tnode1\n::1 localhost ip6-localhost\n',
    );
    assert.equal(
      text,
      '127.0.0.1\tlocalhost\n::1 localhost ip6-localhost\n# ha-workbook machines: BEGIN (written by provision/hosts.sh)\n192.168.56.11 node1\n192.168.56.12 node2\n# ha-workbook machines: END\n',
    );
  });

  it('changes nothing the second time', async () => {
    const first = await provision('127.0.0.1 localhost\n');
    const second = await provision(first.text);
    assert.equal(second.text, first.text);
    assert.equal(second.output, '');
  });
});
