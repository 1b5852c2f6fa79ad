import { HAPROXY_CONFIG, renderHaproxyConfig } from '../config/haproxy.ts';
import { sh } from '../host/shell.ts';
import { HAPROXY_NODE, type HostSpec } from '../ip-plan.ts';
import type { Secrets } from '../secrets.ts';
import type { StepHost } from '../step.ts';

/**
 * HAProxy on an HAProxy host: its configuration written (root and the haproxy group only: it
 * holds the stats password), validated before HAProxy sees it, then reloaded or started, and
 * enabled. Chapters 8 and 13. Returns true when the file changed.
 */
export function applyHaproxy(host: StepHost, secrets: Secrets, node: HostSpec = HAPROXY_NODE): Promise<boolean> {
  return host.configure(
    'haproxy',
    [{ path: HAPROXY_CONFIG, content: renderHaproxyConfig({ secrets, node }), options: { group: 'haproxy', mode: '0640' } }],
    { check: sh`haproxy -c -q -f ${HAPROXY_CONFIG}` },
  );
}
