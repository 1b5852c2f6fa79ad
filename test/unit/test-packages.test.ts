import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { LocalHost } from '../../lib/host/local-host.ts';
import { installScript, missingPackages, TEST_PACKAGES } from '../../lib/packages.ts';
import { ROOT } from '../../lib/paths.ts';

/** `npm test` installs what its suites need (lib/cli/test.ts), as .ci/run does: the two lists agree. */
describe('what npm test installs', () => {
  it('is what .ci/run installs for the tests, and without recommends, as there', () => {
    const ci = readFileSync(`${ROOT}/.ci/run`, 'utf8');
    const line = ci.split(/(?<!\\)\n/).find((l) => l.includes('--no-install-recommends')) ?? '';
    for (const { name } of TEST_PACKAGES) assert.match(line, new RegExp(`\\b${name}\\b`), `.ci/run does not install ${name}`);
    assert.match(installScript(['chromium'], { recommends: false }), /--no-install-recommends/);
    assert.doesNotMatch(installScript(['haproxy']), /--no-install-recommends/);
  });

  it('finds a missing package for real (dpkg-query), and none of the installed ones', async function () {
    if (!existsSync('/usr/bin/dpkg-query')) this.skip();
    const machine = new LocalHost();
    const shell = (cmd: string) => machine.run(cmd);
    assert.deepEqual(await missingPackages(shell, ['workbook-no-such-package', 'dpkg']), ['workbook-no-such-package']);
  });
});
