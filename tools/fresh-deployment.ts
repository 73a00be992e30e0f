import { arrayOf, objectOf } from './terraform-json';

/*
 * What the alerts of a new environment say right after its first deployment, before any manual step, read from
 * the SYNTHESIZED Terraform: which probe of each load-balancing rule something already answers (an HTTPS binding
 * IIS serves, a configured AD FS server, a registered proxy: each the work of one of the toolkit's Run Commands),
 * and so which metric alerts fire. Nothing installs MFA Server by itself: no Run Command answers its replication
 * port. Log alerts count events that only failures write, and the Resource Health alert fires on a change of
 * state: on a deployment that succeeded, none of them fires.
 */

/** The arguments of one resource of the synthesized Terraform. */
type Json = Record<string, unknown>;

/** An alert that fires on a fresh deployment, and why. */
export interface FiringAlert {
  readonly address: string;
  readonly name: string;
  readonly severity: number;
  readonly why: string;
}

/**
 * THE listeners the toolkit's steps start on a server, by the Run Command that starts them: IIS's HTTPS binding
 * (TCP 443), the AD FS service of a configured farm server and the AD FS proxy of a registered proxy (HTTP 80,
 * /adfs/probe). The tier is the server's; a probe answers when every server of the pool runs the command.
 */
export const LISTENERS: readonly {
  readonly runCommand: string;
  readonly tiers: readonly string[];
  readonly protocol: 'Tcp' | 'Http';
  readonly port: number;
  readonly path?: string;
}[] = [
  { runCommand: 'bind-https', tiers: ['mfa', 'portal'], protocol: 'Tcp', port: 443 },
  { runCommand: 'adfs-farm', tiers: ['adfs'], protocol: 'Http', port: 80, path: '/adfs/probe' },
  { runCommand: 'wap-enrollment', tiers: ['wap'], protocol: 'Http', port: 80, path: '/adfs/probe' },
];

const keyOf = (reference: unknown) => (typeof reference === 'string' ? /^\$\{([a-z_]+)\.([^.]+)\.[a-z_]+\}$/.exec(reference) : null);

/** The metric alerts that fire right after the first deployment of `tf`, before any manual step. */
export function firingOnFreshDeployment(tf: { resource: Record<string, Record<string, Json>> }): FiringAlert[] {
  const r = tf.resource;
  const runCommands = Object.entries<Json>(r.azurerm_virtual_machine_run_command ?? {});
  const servers = Object.keys(r.azurerm_windows_virtual_machine ?? {});
  const serversOf = (tier: string) => servers.filter((k) => k.startsWith(`${tier}_servers_`));
  const runsOnEvery = (tier: string, command: string) =>
    serversOf(tier).length > 0 &&
    serversOf(tier).every((vm) => runCommands.some(([, c]) => c.name === command && c.virtual_machine_id === `\${azurerm_windows_virtual_machine.${vm}.id}`));
  // The tier behind a load balancer: the servers whose NICs are in its pools.
  const tierOfLb = (lbKey: string) => {
    const pools = Object.entries<Json>(r.azurerm_lb_backend_address_pool ?? {})
      .filter(([, p]) => p.loadbalancer_id === `\${azurerm_lb.${lbKey}.id}`)
      .map(([k]) => k);
    const member = Object.values<Json>(r.azurerm_network_interface_backend_address_pool_association ?? {}).find((a) =>
      pools.some((p) => a.backend_address_pool_id === `\${azurerm_lb_backend_address_pool.${p}.id}`),
    );
    return member ? keyOf(member.network_interface_id)![2].split('_')[0] : undefined;
  };
  const answers = (lbKey: string, backendPort: number) => {
    const tier = tierOfLb(lbKey);
    const rule = Object.values<Json>(r.azurerm_lb_rule ?? {}).find((x) => x.loadbalancer_id === `\${azurerm_lb.${lbKey}.id}` && x.backend_port === backendPort);
    if (!tier || !rule) return false;
    const probe = r.azurerm_lb_probe[keyOf(rule.probe_id)![2]];
    return LISTENERS.some(
      (l) =>
        l.tiers.includes(tier) &&
        l.protocol === probe.protocol &&
        l.port === probe.port &&
        (l.path ?? undefined) === (probe.request_path ?? undefined) &&
        runsOnEvery(tier, l.runCommand),
    );
  };
  const firing: FiringAlert[] = [];
  for (const [key, alert] of Object.entries<Json>(r.azurerm_monitor_metric_alert ?? {})) {
    if (alert.enabled === false) continue;
    const lb = keyOf(arrayOf(alert.scopes)[0]);
    if (!lb || lb[1] !== 'azurerm_lb') continue;
    const dimensions = arrayOf(objectOf(arrayOf(alert.criteria)[0]).dimension).map(objectOf);
    const port = Number(arrayOf(dimensions.find((d) => d.name === 'BackendPort')!.values)[0]);
    if (!answers(lb[2], port))
      firing.push({
        address: `azurerm_monitor_metric_alert.${key}`,
        name: String(alert.name),
        severity: Number(alert.severity),
        why: `nothing the deployment runs answers the probe of port ${port} of ${r.azurerm_lb[lb[2]].name}`,
      });
  }
  return firing.sort((a, b) => a.severity - b.severity || a.name.localeCompare(b.name));
}
