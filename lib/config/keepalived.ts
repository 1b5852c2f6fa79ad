import { HAPROXY_NODES, type HostSpec, VIRTUAL_IP } from '../ip-plan.ts';
import type { Secrets } from '../secrets.ts';

export const KEEPALIVED_CONF = '/etc/keepalived/keepalived.conf';
export const HAPROXY_CHECK_SCRIPT = '/etc/keepalived/check_haproxy.sh';

/**
 * Is this host's HAProxy alive? Asked through its own pid file, never by process name: the
 * lab's hosts share one process table, and a name would find the other host's HAProxy.
 */
export const HAPROXY_CHECK = `#!/bin/sh
# keepalived's health check: exit 0 while this host's HAProxy master process is alive.
pid=$(cat /run/haproxy.pid 2>/dev/null) || exit 1
kill -0 "$pid" 2>/dev/null
`;

/**
 * VRRP between the two HAProxy hosts: haproxynode has the higher priority and holds
 * 192.168.56.30 while its HAProxy is alive; haproxynode2 takes the address over when it is
 * not. Unicast adverts (no multicast needed), authenticated with a generated password.
 * `iface` is the host's interface on the private network (eth1 in the lab and in the VMs).
 */
export function renderKeepalivedConf(
  node: HostSpec,
  secrets: Pick<Secrets, 'vrrp'>,
  iface = 'eth1',
  authPass = secrets.vrrp.slice(0, 8),
): string {
  const [primary] = HAPROXY_NODES;
  const peers = HAPROXY_NODES.filter((n) => n.name !== node.name);
  return `global_defs {
    router_id ${node.name}
    enable_script_security
    script_user root
}

vrrp_script chk_haproxy {
    script "${HAPROXY_CHECK_SCRIPT}"
    interval 1
    fall 2
    rise 1
}

vrrp_instance haproxy_vip {
    state ${node.name === primary.name ? 'MASTER' : 'BACKUP'}
    interface ${iface}
    virtual_router_id 56
    priority ${node.name === primary.name ? 150 : 100}
    advert_int 1
    unicast_src_ip ${node.address}
    unicast_peer {
${peers.map((p) => `        ${p.address}`).join('\n')}
    }
    authentication {
        auth_type PASS
        auth_pass ${authPass}
    }
    virtual_ipaddress {
        ${VIRTUAL_IP}/24 dev ${iface}
    }
    track_script {
        chk_haproxy
    }
}
`;
}
