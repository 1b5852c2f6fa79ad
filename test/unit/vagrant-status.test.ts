import assert from 'node:assert/strict';
import { isRunning, machineReadableError, machineStates } from '../../lib/vagrant/vagrant-status.ts';

// Vagrant 2.3.4, `vagrant status --machine-readable`, trimmed.
const STATUS = `1795646936,node1,metadata,provider,libvirt
1795646936,node1,provider-name,libvirt
1795646936,node1,state,running
1795646936,node1,state-human-short,running
1795646936,node2,provider-name,libvirt
1795646936,node2,state,shutoff
1795646936,node3,provider-name,virtualbox
1795646936,node3,state,not_created
1795646936,node3,state-human-long,The Libvirt domain is not created. Run \`vagrant up\` to create it.
1795646936,,ui,info,Current machine states:
`;

const PROVIDER_ERROR = `1795646937,,ui,error,The provider 'virtualbox' that was requested to back the machine\\n'node1' is reporting that it isn't usable on this system.
1795646937,,error-exit,Vagrant::Errors::ProviderNotUsable,The provider 'virtualbox' that was requested to back the machine\\n'node1' is reporting that it isn't usable on this system. The\\nreason is shown below:\\n\\nVagrant could not detect VirtualBox! Make sure VirtualBox is properly installed.\\nVagrant uses the \`VBoxManage\` binary that ships with VirtualBox%!(VAGRANT_COMMA) and requires
`;

describe('vagrant status --machine-readable', () => {
  it('reads each machine state and provider', () => {
    const states = machineStates(STATUS);
    assert.deepEqual(
      [...states.values()],
      [
        { name: 'node1', state: 'running', provider: 'libvirt' },
        { name: 'node2', state: 'shutoff', provider: 'libvirt' },
        { name: 'node3', state: 'not_created', provider: 'virtualbox' },
      ],
    );
    assert.ok(isRunning(states.get('node1')));
    assert.ok(!isRunning(states.get('node2')));
    assert.ok(!isRunning(undefined));
  });

  it("reads vagrant's reason for giving up, with its commas and line breaks", () => {
    const message = machineReadableError(PROVIDER_ERROR);
    assert.ok(message?.startsWith("The provider 'virtualbox' that was requested to back the machine\n'node1'"));
    assert.match(message ?? '', /ships with VirtualBox, and requires/);
    assert.equal(machineReadableError(STATUS), undefined);
  });
});
