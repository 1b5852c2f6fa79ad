import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { PLACEHOLDER_SECRETS } from '../../lib/chapters/includes.ts';
import { renderEtcdDefaults } from '../../lib/config/etcd.ts';
import { renderHaproxyConfig } from '../../lib/config/haproxy.ts';
import { renderPatroniConfig } from '../../lib/config/patroni.ts';
import { scramVerifier, verifierMatches } from '../../lib/config/scram.ts';
import { FAST_TIMINGS } from '../../lib/config/timings.ts';
import { parseEnvironmentFile } from '../../lib/host/systemd-unit.ts';
import { hostSpec } from '../../lib/ip-plan.ts';

describe('configuration rendering', () => {
  const secrets = {
    superuser: 'su-x',
    replication: 're-x',
    rewind: 'rw-x',
    app: 'ap-x',
    restapi: 'api-x',
    haproxyStats: 'st-x',
    vrrp: 'vr-x',
  };

  it("renders patroni.yml as valid YAML with the original guide's mistakes fixed", () => {
    const config = parse(renderPatroniConfig({ node: hostSpec('node2'), secrets }));
    assert.equal(config.name, 'node2');
    assert.equal(config.etcd, undefined);
    assert.equal(config.etcd3.hosts, '192.168.56.21:2379');
    assert.equal(config.postgresql.listen, '192.168.56.12:5432');
    assert.equal(config.postgresql.bin_dir, '/usr/lib/postgresql/15/bin');
    assert.equal(config.bootstrap.dcs.ttl, 30);
    assert.equal(config.bootstrap.dcs.postgresql.parameters.password_encryption, 'scram-sha-256');
    assert.equal(config.postgresql.authentication.superuser.password, 'su-x');
    for (const line of config.bootstrap.pg_hba as string[]) {
      assert.doesNotMatch(line, /0\.0\.0\.0|md5|trust/);
    }
  });

  it('keeps Patroni’s rule loop_wait + 2 * retry_timeout <= ttl in the fast timings', () => {
    const dcs = parse(renderPatroniConfig({ node: hostSpec('node1'), secrets, timings: FAST_TIMINGS })).bootstrap.dcs;
    assert.ok(dcs.loop_wait + 2 * dcs.retry_timeout <= dcs.ttl);
  });

  it('renders an etcd file whose member name matches its initial cluster', () => {
    const env = parseEnvironmentFile(renderEtcdDefaults());
    assert.equal(env.ETCD_NAME, 'etcdnode');
    assert.equal(env.ETCD_INITIAL_CLUSTER, 'etcdnode=http://192.168.56.21:2380');
  });

  it('renders HAProxy checks that ask GET /primary and GET /replica explicitly', () => {
    const cfg = renderHaproxyConfig({ secrets });
    assert.match(cfg, /listen primary\n\s+bind \*:5000\n\s+option httpchk GET \/primary/);
    assert.match(cfg, /listen replicas\n\s+bind \*:5001\n\s+balance roundrobin\n\s+option httpchk GET \/replica/);
    assert.equal(cfg.match(/check port 8008/g)?.length, 6);
    assert.match(cfg, /stats auth admin:st-x/);
  });

  it('shows placeholders, never secrets, in the configuration a chapter includes', () => {
    const shown = renderPatroniConfig({ node: hostSpec('node1'), secrets: PLACEHOLDER_SECRETS });
    assert.match(shown, /password: <superuser-password>/);
  });

  it('makes SCRAM-SHA-256 verifiers that match their password only', () => {
    const verifier = scramVerifier('correct horse');
    assert.match(verifier, /^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    assert.equal(verifierMatches(verifier, 'correct horse'), true);
    assert.equal(verifierMatches(verifier, 'correct horsE'), false);
    assert.equal(verifierMatches('md5abc', 'x'), false);
  });

  it('matches a verifier made by PostgreSQL 15 itself', () => {
    // select rolpassword from pg_authid after: create role t password 'workbook' (PostgreSQL 15.18).
    const fromPostgres =
      'SCRAM-SHA-256$4096:bNl4fY6sLO7hlQkwIS2FBQ==$La8E1n20iaPNxFJ08fZds/OuX7HsU7tqLL6Nmh42mnM=:uGjBv0jCZOHvCu77+glR/LmVr4vqaue4SY09yCbvc5w=';
    assert.equal(verifierMatches(fromPostgres, 'workbook'), true);
  });
});
