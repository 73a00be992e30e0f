import { topologyOf } from '../topology';
import { arrayOf, blocks, objectOf, parseReference, resolve, resourcesOf, StackJson, textOf } from '../terraform-json';

/*
 * What the runbook needs to know of one synthesized stack: the servers by the toolkit's server ids, the load
 * balancers' RADIUS rules, the locks and backups, the logs, and the Run Commands in the order Terraform runs
 * them. Read from the synthesized Terraform only, so that the runbook follows whatever scripts and resources a
 * stage gains, without knowing the constructs that made them.
 */

/** A server of the stack. */
export interface ServerFact {
  /** The toolkit's server id: `mfa-1`, `nps-2`. */
  readonly id: string;
  readonly tier: string;
  readonly vmName: string;
  readonly computerName: string;
  /** Its `role` tag: `master`, `subordinate`, or the tier. */
  readonly role: string;
  readonly nicName?: string;
  readonly ipConfigName?: string;
  /** The backend pools it is a member of: load balancer and pool names. */
  readonly pools: readonly { readonly lb: string; readonly pool: string }[];
}

/** A load-balancing rule that carries RADIUS (UDP). */
export interface RadiusRuleFact {
  readonly lb: string;
  readonly frontendIp?: string;
  readonly rule: string;
  readonly port: string;
  readonly pools: readonly string[];
}

/** One Run Command: which script runs on which server, and when. */
export interface ScriptFact {
  /** Terraform address. */
  readonly address: string;
  /** The Run Command's name: the script's kind (`adfs-farm`, `wap-publishing`). */
  readonly script: string;
  /** The server id it runs on. */
  readonly server: string;
  readonly computerName: string;
  /**
   * Terraform runs a Run Command once every Run Command it waits for (through `depends_on` or a reference, also
   * through other resources) is done: wave 1 waits for none, wave n for one of wave n − 1.
   */
  readonly wave: number;
}

/** What the runbook reads from one synthesized stack. */
export interface StackFacts {
  readonly resourceGroup: string;
  readonly servers: readonly ServerFact[];
  /** The load balancers: name and private frontend address. */
  readonly loadBalancers: readonly { readonly name: string; readonly privateIp?: string }[];
  readonly radiusRules: readonly RadiusRuleFact[];
  /** Names of the CanNotDelete locks. */
  readonly locks: readonly string[];
  readonly recoveryVault?: string;
  /** Server ids whose backup is stopped (recovery points kept). */
  readonly stoppedBackups: readonly string[];
  /** The workspace table that receives MFA Server's log lines, when the stack ships them. */
  readonly mfaServerLogTable?: string;
  /** The stack's outputs by name, with their literal values where they have one. */
  readonly outputs: ReadonlyMap<string, unknown>;
  /** The stack reads the tenant's Azure Multi-Factor Auth Client service principal (data.azuread_service_principal). */
  readonly readsMfaClient: boolean;
  /** Certificates the deploy registers on a service principal (azuread_service_principal_certificate). */
  readonly certificateRegistrations: number;
  readonly scripts: readonly ScriptFact[];
}

/** The server id in a server resource's key: `mfa_servers_mfa-1_4069986D` → `mfa-1`. */
const serverIdOf = (key: string): string | undefined => /^[a-z]+_servers_([a-z]+-\d+)_/.exec(key)?.[1];

/** Every `type.key` a resource body refers to (references and depends_on), of resources the stack holds. */
function referencesOf(stack: StackJson, body: unknown): string[] {
  const found = new Set<string>();
  for (const m of JSON.stringify(body, (k, v) => (k === '//' ? undefined : v)).matchAll(/\b([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\b/g)) {
    if (stack.resource?.[m[1]]?.[m[2]] !== undefined) found.add(`${m[1]}.${m[2]}`);
  }
  return [...found];
}

/** The Run Commands with their waves, ordered by wave, then server id, then script. */
function scriptsOf(stack: StackJson, serverOf: (vmRef: unknown) => { id: string; computerName: string } | undefined): ScriptFact[] {
  const runCommands = resourcesOf(stack, 'azurerm_virtual_machine_run_command');
  const isRunCommand = new Set(runCommands.map((r) => `${r.type}.${r.key}`));
  const bodyOf = (address: string) => {
    const [type, key] = address.split('.');
    return stack.resource?.[type]?.[key];
  };
  // The Run Commands each resource waits for, transitively (memoized; the graph of a synthesized stack is acyclic).
  const memo = new Map<string, Set<string>>();
  const waitsFor = (address: string): Set<string> => {
    const known = memo.get(address);
    if (known) return known;
    const result = new Set<string>();
    memo.set(address, result);
    for (const dep of referencesOf(stack, bodyOf(address))) {
      if (dep === address) continue;
      if (isRunCommand.has(dep)) result.add(dep);
      for (const d of waitsFor(dep)) result.add(d);
    }
    return result;
  };
  const waves = new Map<string, number>();
  const waveOf = (address: string): number => {
    if (!waves.has(address)) waves.set(address, 1 + Math.max(0, ...[...waitsFor(address)].map(waveOf)));
    return waves.get(address)!;
  };
  const byNumber = (id: string) => [id.replace(/-\d+$/, ''), Number(/-(\d+)$/.exec(id)?.[1] ?? 0)] as const;
  return runCommands
    .map((r) => {
      const address = `${r.type}.${r.key}`;
      const server = serverOf(r.args.virtual_machine_id);
      return { address, script: String(r.args.name), server: server?.id ?? '?', computerName: server?.computerName ?? '?', wave: waveOf(address) };
    })
    .sort((a, b) => {
      const [ta, na] = byNumber(a.server);
      const [tb, nb] = byNumber(b.server);
      return a.wave - b.wave || ta.localeCompare(tb) || na - nb || a.script.localeCompare(b.script);
    });
}

/** Reads the runbook's facts from a synthesized stack. */
export function stackFactsOf(stack: StackJson): StackFacts {
  const topology = topologyOf(stack);
  const vms = resourcesOf(stack, 'azurerm_windows_virtual_machine');
  const poolsOf = new Map<string, { lb: string; pool: string }[]>();
  for (const lb of topology.loadBalancers) {
    for (const [pool, members] of lb.pools) for (const vmKey of members) poolsOf.set(vmKey, [...(poolsOf.get(vmKey) ?? []), { lb: lb.name, pool }]);
  }
  const servers: ServerFact[] = vms.flatMap((vm) => {
    const id = serverIdOf(vm.key);
    if (!id) return [];
    const nic = resolve(stack, 'azurerm_network_interface', arrayOf(vm.args.network_interface_ids)[0]);
    return [
      {
        id,
        tier: String(objectOf(vm.args.tags).tier ?? id.replace(/-\d+$/, '')),
        vmName: String(vm.args.name),
        computerName: String(vm.args.computer_name ?? vm.args.name),
        role: String(objectOf(vm.args.tags).role ?? objectOf(vm.args.tags).tier ?? ''),
        nicName: nic ? String(nic.args.name) : undefined,
        ipConfigName: nic ? textOf(blocks(nic.args.ip_configuration)[0]?.name) : undefined,
        pools: poolsOf.get(vm.key) ?? [],
      },
    ];
  });
  const serverByVm = new Map(vms.map((vm) => [vm.key, servers.find((s) => s.vmName === String(vm.args.name))]));
  const serverOf = (vmRef: unknown) => serverByVm.get(parseReference(vmRef)?.key ?? '');
  const outputs = new Map(Object.entries(stack.output ?? {}).map(([name, o]) => [name, o.value]));
  const data = (stack as { data?: Record<string, Record<string, unknown>> }).data ?? {};
  const vault = resourcesOf(stack, 'azurerm_recovery_services_vault')[0];
  return {
    resourceGroup: String(resourcesOf(stack, 'azurerm_resource_group')[0]?.args.name ?? ''),
    servers,
    loadBalancers: topology.loadBalancers.map((lb) => ({ name: lb.name, privateIp: lb.privateIp })),
    radiusRules: topology.loadBalancers.flatMap((lb) =>
      lb.rules
        .filter((r) => r.port.startsWith('udp/'))
        .map((r) => ({ lb: lb.name, frontendIp: lb.privateIp, rule: r.name, port: r.frontendPort, pools: r.pools })),
    ),
    locks: resourcesOf(stack, 'azurerm_management_lock')
      .filter((l) => l.args.lock_level === 'CanNotDelete')
      .map((l) => String(l.args.name)),
    recoveryVault: vault ? String(vault.args.name) : undefined,
    stoppedBackups: resourcesOf(stack, 'azurerm_backup_protected_vm')
      .filter((b) => b.args.protection_state === 'ProtectionStopped')
      .map((b) => serverOf(b.args.source_vm_id)?.id ?? b.key),
    mfaServerLogTable: resourcesOf(stack, 'azurerm_log_analytics_workspace_table_custom_log')
      .map((t) => String(t.args.name))
      .find((n) => /^MfaServer/i.test(n)),
    outputs,
    readsMfaClient: Object.keys(data.azuread_service_principal ?? {}).length > 0,
    certificateRegistrations: resourcesOf(stack, 'azuread_service_principal_certificate').length,
    scripts: scriptsOf(stack, serverOf),
  };
}

/** The load balancer whose name ends with `-<suffix>` (`mfaapp`, `nps`). */
export const loadBalancerOf = (facts: StackFacts, suffix: string) => facts.loadBalancers.find((lb) => lb.name.endsWith(`-${suffix}`));
