import assert from 'node:assert/strict';
import { clientConfig } from '../../lib/clients/sql.ts';
import { scaled, TIME_SCALE_VARIABLE } from '../../lib/time-scale.ts';

describe('one timeout scale (lib/time-scale.ts)', () => {
  const saved = process.env[TIME_SCALE_VARIABLE];
  afterEach(() => {
    if (saved === undefined) delete process.env[TIME_SCALE_VARIABLE];
    else process.env[TIME_SCALE_VARIABLE] = saved;
  });

  it('is 1 unless set, and multiplies where a timeout is used: SQL connections and queries', () => {
    delete process.env[TIME_SCALE_VARIABLE];
    const target = { host: '192.168.56.11', port: 5432, user: 'u', password: 'p', database: 'd' };
    assert.equal(clientConfig(target, { connectMs: 1000, queryMs: 2000 }).connectionTimeoutMillis, 1000);
    process.env[TIME_SCALE_VARIABLE] = '4';
    assert.equal(scaled(1500), 6000);
    const config = clientConfig(target, { connectMs: 1000, queryMs: 2000 });
    assert.deepEqual([config.connectionTimeoutMillis, config.query_timeout], [4000, 8000]);
  });

  it('refuses a value that is no multiplier', () => {
    process.env[TIME_SCALE_VARIABLE] = '0.5';
    assert.throws(() => scaled(1000), /must be a number from 1 to 100/);
  });
});
