import { VirtualMachineExtension } from '@cdktf/provider-azurerm/lib/virtual-machine-extension';
import { VirtualMachineRunCommand } from '@cdktf/provider-azurerm/lib/virtual-machine-run-command';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ADFS_PROBE } from './adfs-farm';
import { PRIMARIES } from './maintenance-rings';
import { PORTAL_PROBE } from './portal-tier';
import { ExtranetLockoutSettings, extranetLockoutScript } from './scripts/extranet-lockout';
import { definitionOf, RESTART_DELAY_SECONDS, restartCheckScript, serverHardeningScript } from './scripts/hardening';
import { LapsSettings, lapsScript } from './scripts/laps';
import { ServingCheck } from './scripts/server-state';
import { runScript } from './server-steps';
import { TimeSleep } from './time-sleep';
import { Port, TierName } from './values';
import { Server, WindowsServerPool } from './windows-server-pool';

/** One tier the hardening touches. */
export interface HardenedTier {
  readonly pool: WindowsServerPool;
  /** TLS 1.0/1.1 and weak cipher suites off on its servers (AD FS, WAP, MFA, portal). */
  readonly tls: boolean;
  /** What serving means on its servers, checked after a restart; omit when nothing serves yet (no farm). */
  readonly serving?: ServingCheck;
  /** Its servers are domain members: Windows LAPS applies. */
  readonly domainJoined: boolean;
}

/** Props of the server hardening. */
export interface ServerHardeningProps {
  readonly tiers: readonly HardenedTier[];
  /** With a farm the toolkit configures: the extranet lockout, set on the WID primary, then in effect on every node. */
  readonly extranetLockout?: { readonly settings: ExtranetLockoutSettings; readonly primary: Server };
  /** Windows LAPS on the domain-joined tiers; omit for none. */
  readonly laps?: LapsSettings;
  /**
   * Each server's ring (constructs/maintenance-rings.ts `ringAssignments`): a tier's servers restart in the order
   * its servers are patched, the MFA master and the WID primary last.
   */
  readonly rings: ReadonlyMap<string, string>;
  /** Every configuration step before it (constructs/ `configurationSteps`): no restart while any of them runs. */
  readonly after: readonly ITerraformDependable[];
}

/**
 * How long Terraform waits between a server's hardening and its restart check: more than the restart's delay, so that
 * the check never runs on the boot that is about to end (a Run Command is not run again once it started, even if the
 * server restarts under it: devblogs.microsoft.com/azure-vm-runtime/when-will-customscript-extension-re-execute-my-script).
 */
export const RESTART_WAIT = `${RESTART_DELAY_SECONDS * 3}s`;

/** Every Run Command and extension of a scope: what a restart must not interrupt. */
export const configurationSteps = (scope: Construct): ITerraformDependable[] =>
  scope.node
    .findAll()
    .filter((c): c is VirtualMachineRunCommand | VirtualMachineExtension => c instanceof VirtualMachineRunCommand || c instanceof VirtualMachineExtension);

/** The Windows service behind each tier's load-balancer probe. */
const SERVICES: Readonly<Record<TierName, string>> = { adfs: 'adfssrv', wap: 'appproxysvc', portal: 'W3SVC', mfa: 'W3SVC', nps: 'IAS' };

/**
 * What serving means on a tier's servers: its service running and its load balancer's probe answering, asked locally.
 * AD FS and the proxies serve only once the toolkit configured the farm; IIS listens on 443 only once it bound the
 * certificate (constructs/certificate-delivery.ts).
 */
export function servingCheckOf(tier: TierName, options: { readonly farm: boolean; readonly certificates: boolean }): ServingCheck | undefined {
  const service = SERVICES[tier];
  if (tier === 'adfs' || tier === 'wap') return options.farm ? { service, probe: { port: ADFS_PROBE.port.port, path: ADFS_PROBE.requestPath } } : undefined;
  if (tier === 'portal') return { service, probe: options.certificates ? { port: PORTAL_PROBE.port.port } : undefined };
  // The Web Service SDK's probe on the mfaapp load balancer: TCP 443.
  if (tier === 'mfa') return { service, probe: options.certificates ? { port: Port.HTTPS.port } : undefined };
  return { service };
}

/**
 * The tiers the hardening touches: TLS on the four tiers of the HA design (not the NPS servers of the migration,
 * whose RADIUS takes no TLS), Windows LAPS on every domain member (all but the proxies).
 */
export function hardenedTiers(
  pools: readonly WindowsServerPool[],
  options: { readonly tls: boolean; readonly farm: boolean; readonly certificates: boolean },
): HardenedTier[] {
  return pools.map((pool) => ({
    pool,
    tls: options.tls && pool.tier !== 'nps',
    serving: servingCheckOf(pool.tier, options),
    domainJoined: pool.tier !== 'wap',
  }));
}

/** Rings in the order they run: ring-1, ring-2, …, then the primaries. */
const ringRank = (ring: string | undefined) => (ring === PRIMARIES ? Number.MAX_SAFE_INTEGER : Number(/^ring-(\d+)$/.exec(ring ?? '')?.[1] ?? 0));

/**
 * The hardening the toolkit owns, after every other configuration step: on each tier, one server after the other in
 * ring order, its hardening (a restart when a change needs one), a wait, and the check that it restarted and serves
 * again, which the next server of the tier waits for. A check that fails stops the tier there, so that a restart
 * never takes down the last serving server of a tier. The tiers go side by side: each keeps serving from its other
 * servers. The extranet lockout is set on the WID primary first; Windows LAPS follows each server's check.
 */
export class ServerHardening extends Construct {
  /** By server id, its last hardening step. */
  readonly steps = new Map<string, ITerraformDependable>();

  constructor(scope: Construct, id: string, props: ServerHardeningProps) {
    super(scope, id);
    // One barrier in the graph rather than every step in each first server's depends_on.
    const configured = new TimeSleep(this, 'configured', { createDuration: '1s', dependsOn: props.after });
    const lockout =
      props.extranetLockout && runScript(props.extranetLockout.primary, extranetLockoutScript(props.extranetLockout.settings), { dependsOn: [configured] });

    for (const tier of props.tiers) {
      const settings = tier.pool.tier === 'adfs' && props.extranetLockout?.settings.enabled ? props.extranetLockout.settings : undefined;
      if (!tier.tls && settings === undefined) continue;
      const hardening = serverHardeningScript({ tls: tier.tls, extranetLockout: settings, serving: tier.serving });
      const check = restartCheckScript(hardening, tier.serving);
      const servers = [...tier.pool.servers].sort((a, b) => ringRank(props.rings.get(a.id)) - ringRank(props.rings.get(b.id)) || a.index - b.index);
      let previous: ITerraformDependable = settings && lockout ? lockout : configured;
      for (const server of servers) {
        const hardened = runScript(server, hardening, { dependsOn: [previous] });
        // Replaced, and so waiting again, whenever the hardening runs again: a new script, or a new Run Command (a new server).
        const wait = new TimeSleep(server.scope, 'hardening-restart-wait', {
          createDuration: RESTART_WAIT,
          triggers: { hardening: hardened.id, definition: definitionOf(hardening) },
          dependsOn: [hardened],
        });
        previous = runScript(server, check, { dependsOn: [wait] });
        this.steps.set(server.id, previous);
      }
    }

    if (!props.laps) return;
    const laps = lapsScript(props.laps);
    for (const tier of props.tiers.filter((t) => t.domainJoined)) {
      for (const server of tier.pool.servers) {
        runScript(server, laps, { dependsOn: [this.steps.get(server.id) ?? configured] });
      }
    }
  }
}
