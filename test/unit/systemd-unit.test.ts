import assert from 'node:assert/strict';
import { expandCommandLine, parseEnvironmentFile, parseUnit } from '../../lib/host/systemd-unit.ts';

// Debian 12's haproxy.service, trimmed: the lab runs it as written.
const HAPROXY_UNIT = `[Unit]
Description=HAProxy Load Balancer

[Service]
EnvironmentFile=-/etc/default/haproxy
Environment="CONFIG=/etc/haproxy/haproxy.cfg" "PIDFILE=/run/haproxy.pid" "EXTRAOPTS=-S /run/haproxy-master.sock"
ExecStart=/usr/sbin/haproxy -Ws -f $CONFIG -p $PIDFILE $EXTRAOPTS
ExecReload=/usr/sbin/haproxy -Ws -f $CONFIG -c -q $EXTRAOPTS
ExecReload=/bin/kill -USR2 $MAINPID
KillMode=mixed

[Install]
WantedBy=multi-user.target
`;

describe('systemd unit reader', () => {
  it("reads Debian's haproxy unit: environment, ExecStart, both ExecReload lines, WantedBy", () => {
    const unit = parseUnit(HAPROXY_UNIT, 'haproxy.service', 'haproxynode');
    assert.equal(unit.user, 'root');
    assert.deepEqual(unit.environment, {
      CONFIG: '/etc/haproxy/haproxy.cfg',
      PIDFILE: '/run/haproxy.pid',
      EXTRAOPTS: '-S /run/haproxy-master.sock',
    });
    assert.deepEqual(unit.environmentFiles, [{ path: '/etc/default/haproxy', optional: true }]);
    assert.equal(unit.execReload.length, 2);
    assert.deepEqual(unit.wantedBy, ['multi-user.target']);
    assert.deepEqual(expandCommandLine(unit.execStart, unit.environment), [
      '/usr/sbin/haproxy',
      '-Ws',
      '-f',
      '/etc/haproxy/haproxy.cfg',
      '-p',
      '/run/haproxy.pid',
      '-S',
      '/run/haproxy-master.sock',
    ]);
  });

  it('expands %H and %p as systemd does (etcd.service uses both)', () => {
    const unit = parseUnit(
      '[Service]\nEnvironment=ETCD_NAME=%H\nEnvironmentFile=-/etc/default/%p\nExecStart=/usr/bin/etcd $DAEMON_ARGS\nUser=etcd\n',
      'etcd.service',
      'etcdnode',
    );
    assert.equal(unit.environment.ETCD_NAME, 'etcdnode');
    assert.equal(unit.environmentFiles[0].path, '/etc/default/etcd');
    assert.equal(unit.group, 'etcd');
    assert.deepEqual(expandCommandLine(unit.execStart, {}), ['/usr/bin/etcd']);
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: systemd's ${VAR} syntax, not a template
  it('keeps ${VAR} as one word and splits $VAR into words', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: systemd's ${VAR} syntax, not a template
    assert.deepEqual(expandCommandLine('/bin/x ${A} $A', { A: 'one two' }), ['/bin/x', 'one two', 'one', 'two']);
  });

  it('reads environment files with quotes and comments', () => {
    assert.deepEqual(parseEnvironmentFile('# c\nETCD_NAME="etcdnode"\nA=b\nexport C=\'d e\'\n'), {
      ETCD_NAME: 'etcdnode',
      A: 'b',
      C: 'd e',
    });
  });

  it('refuses a unit without ExecStart', () => {
    assert.throws(() => parseUnit('[Service]\nUser=x\n', 'x.service', 'h'), /no ExecStart/);
  });
});
