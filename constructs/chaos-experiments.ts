import { ChaosStudioCapability } from '@cdktf/provider-azurerm/lib/chaos-studio-capability';
import { ChaosStudioExperiment } from '@cdktf/provider-azurerm/lib/chaos-studio-experiment';
import { ChaosStudioTarget } from '@cdktf/provider-azurerm/lib/chaos-studio-target';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { RoleDefinition } from '@cdktf/provider-azurerm/lib/role-definition';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { WindowsVirtualMachine } from '@cdktf/provider-azurerm/lib/windows-virtual-machine';
import { Construct } from 'constructs';
import { FAULT_INJECTION_PRIORITY } from './traffic-flows';
import { TierName } from './values';

/*
 * Azure Chaos Studio: targets and capabilities on the servers and NSGs the experiments use, one user-assigned identity
 * holding only what the faults need, and one experiment per failure class, each naming the outcome the failure model
 * predicts in its step (the experiment resource has no description). Creating an experiment runs nothing: an
 * experiment runs when someone starts it ("Create and run a chaos experiment",
 * https://learn.microsoft.com/azure/chaos-studio/chaos-studio-tutorial-service-direct-portal). Sources: the fault
 * library (https://learn.microsoft.com/azure/chaos-studio/chaos-studio-fault-library) and the supported resource
 * types (https://learn.microsoft.com/azure/chaos-studio/chaos-studio-fault-providers).
 */

/** A Chaos Studio fault on a target type, and the capability it needs. */
interface FaultSpec {
  readonly targetType: string;
  readonly capability: string;
  readonly urn: string;
}

/** Shut down a VM for the action's duration; Chaos Studio starts it again at the end or when the experiment is cancelled. */
export const VM_SHUTDOWN: FaultSpec = {
  targetType: 'Microsoft-VirtualMachine',
  capability: 'Shutdown-1.0',
  urn: 'urn:csci:microsoft:virtualMachine:shutdown/1.0',
};
/** Add a security rule to NSGs for the action's duration. */
export const NSG_SECURITY_RULE: FaultSpec = {
  targetType: 'Microsoft-NetworkSecurityGroup',
  capability: 'SecurityRule-1.0',
  urn: 'urn:csci:microsoft:networkSecurityGroup:securityRule/1.0',
};

/** A security rule Chaos Studio's NSG fault adds, in the NSG evaluator's terms (tools/nsg-evaluator.ts). */
export interface SecurityRuleFault {
  readonly name: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly access: 'Allow' | 'Deny';
  /** `*` or a protocol. */
  readonly protocol: string;
  readonly sourcePrefixes: readonly string[];
  readonly destinationPrefixes: readonly string[];
  readonly sourcePorts: readonly string[];
  readonly destinationPorts: readonly string[];
}

/** The rule the egress experiments add: deny everything that leaves for the Internet, before every flow that allows it. */
export const EGRESS_DENY_RULE: SecurityRuleFault = {
  name: 'chaos-deny-egress',
  priority: FAULT_INJECTION_PRIORITY,
  direction: 'Outbound',
  access: 'Deny',
  protocol: '*',
  sourcePrefixes: ['*'],
  destinationPrefixes: ['Internet'],
  sourcePorts: ['*'],
  destinationPorts: ['*'],
};

/** How long each fault lasts: long enough for the alerts, which look at 5 minutes every minute, to fire and be seen. */
export const FAULT_DURATION = 'PT15M';

/**
 * The actions each fault needs, as custom roles: Chaos Studio suggests Virtual Machine Contributor and Network
 * Contributor, but the first includes Run Command, which makes whoever holds it domain-admin equivalent on these
 * servers (README, "Tier 0: who holds what"). The experiment's identity gets these instead: read, power off and start
 * a VM; read, write and delete an NSG's rules.
 */
export const FAULT_ROLES = {
  vm: {
    suffix: 'vm-shutdown',
    description: 'Chaos Studio VM shutdown fault: read, power off and start the virtual machines it is assigned on; no Run Command, extension or disk.',
    actions: [
      'Microsoft.Compute/virtualMachines/read',
      'Microsoft.Compute/virtualMachines/instanceView/read',
      'Microsoft.Compute/virtualMachines/powerOff/action',
      'Microsoft.Compute/virtualMachines/start/action',
    ],
  },
  nsg: {
    suffix: 'nsg-rule',
    description: 'Chaos Studio NSG security rule fault: add and remove a security rule on the network security groups it is assigned on.',
    actions: [
      'Microsoft.Network/networkSecurityGroups/read',
      'Microsoft.Network/networkSecurityGroups/securityRules/read',
      'Microsoft.Network/networkSecurityGroups/securityRules/write',
      'Microsoft.Network/networkSecurityGroups/securityRules/delete',
    ],
  },
} as const;

/** One experiment to render. */
export interface ExperimentSpec {
  /** `master-shutdown`: part of the experiment's name and construct id. */
  readonly key: string;
  readonly fault: { readonly kind: 'shutdown'; readonly servers: readonly string[] } | { readonly kind: 'deny-egress'; readonly tiers: readonly TierName[] };
  /** The predicted outcome, the name of the experiment's step. */
  readonly prediction: string;
}

/** Props of the Chaos Studio experiments. */
export interface ChaosExperimentsProps {
  readonly namePrefix: string;
  readonly resourceGroupName: string;
  /** Scope of the custom roles. */
  readonly resourceGroupId: string;
  readonly location: string;
  readonly tags: Record<string, string>;
  /** The VM of each server id. */
  readonly servers: ReadonlyMap<string, WindowsVirtualMachine>;
  /** The NSG of each tier. */
  readonly nsgs: Readonly<Partial<Record<TierName, NetworkSecurityGroup>>>;
  readonly experiments: readonly ExperimentSpec[];
}

/** The Chaos Studio experiments of an environment (`chaos.enabled`). */
export class ChaosExperiments extends Construct {
  readonly identity: UserAssignedIdentity;
  readonly experiments: ChaosStudioExperiment[] = [];
  /** The Azure name of the experiment of a key. */
  readonly nameOf: (key: string) => string;

  constructor(scope: Construct, id: string, props: ChaosExperimentsProps) {
    super(scope, id);
    this.nameOf = (key) => `chaos-${props.namePrefix}-${key}`;
    const common = { resourceGroupName: props.resourceGroupName, location: props.location };
    this.identity = new UserAssignedIdentity(this, 'identity', { ...common, tags: props.tags, name: `id-${props.namePrefix}-chaos` });
    const roles = {
      vm: this.role(props, 'vm'),
      nsg: this.role(props, 'nsg'),
    };

    // A target and its capability on each server and NSG an experiment uses, and the role on it, once each.
    const targets = new Map<string, { target: ChaosStudioTarget; capability: ChaosStudioCapability }>();
    const targetOf = (key: string, resourceId: string, fault: FaultSpec, role: RoleDefinition) => {
      if (!targets.has(key)) {
        const target = new ChaosStudioTarget(this, `${key}-target`, { location: props.location, targetResourceId: resourceId, targetType: fault.targetType });
        const capability = new ChaosStudioCapability(this, `${key}-capability`, { chaosStudioTargetId: target.id, capabilityType: fault.capability });
        new RoleAssignment(this, `${key}-role`, {
          scope: resourceId,
          roleDefinitionId: role.roleDefinitionResourceId,
          principalId: this.identity.principalId,
          principalType: 'ServicePrincipal',
          description: `The Chaos Studio experiments of ${props.namePrefix}: ${fault.capability} on ${key}.`,
        });
        targets.set(key, { target, capability });
      }
      return targets.get(key)!;
    };

    for (const spec of props.experiments) {
      const used =
        spec.fault.kind === 'shutdown'
          ? spec.fault.servers.map((server) => targetOf(server, props.servers.get(server)!.id, VM_SHUTDOWN, roles.vm))
          : spec.fault.tiers.map((tier) => targetOf(`nsg-${tier}`, props.nsgs[tier]!.id, NSG_SECURITY_RULE, roles.nsg));
      const fault = spec.fault.kind === 'shutdown' ? VM_SHUTDOWN : NSG_SECURITY_RULE;
      this.experiments.push(
        new ChaosStudioExperiment(this, spec.key, {
          ...common,
          name: this.nameOf(spec.key),
          identity: { type: 'UserAssigned', identityIds: [this.identity.id] },
          selectors: [{ name: 'targets', chaosStudioTargetIds: used.map((u) => u.target.id) }],
          steps: [
            {
              name: spec.prediction,
              branch: [
                {
                  name: 'fault',
                  actions: [{ actionType: 'continuous', duration: FAULT_DURATION, selectorName: 'targets', urn: fault.urn, parameters: parametersOf(spec) }],
                },
              ],
            },
          ],
          dependsOn: used.map((u) => u.capability),
        }),
      );
    }
  }

  private role(props: ChaosExperimentsProps, kind: keyof typeof FAULT_ROLES): RoleDefinition {
    const role = FAULT_ROLES[kind];
    return new RoleDefinition(this, `${role.suffix}-role`, {
      // Custom role names are unique in the tenant: the environment's prefix keeps them apart.
      name: `${props.namePrefix} chaos ${role.suffix}`,
      scope: props.resourceGroupId,
      description: role.description,
      permissions: [{ actions: [...role.actions] }],
      assignableScopes: [props.resourceGroupId],
    });
  }
}

/**
 * The parameters of a fault, as the fault library names them: a graceful shutdown; the NSG rule in the fault's own
 * terms (JSON arrays as strings; `action` per the library's parameter table, whose sample writes `access`).
 */
function parametersOf(spec: ExperimentSpec): Record<string, string> {
  if (spec.fault.kind === 'shutdown') return { abruptShutdown: 'false' };
  const rule = EGRESS_DENY_RULE;
  const list = (items: readonly string[]) => JSON.stringify(items);
  return {
    name: rule.name,
    protocol: rule.protocol === '*' ? 'Any' : rule.protocol.toUpperCase(),
    sourceAddresses: list(rule.sourcePrefixes),
    destinationAddresses: list(rule.destinationPrefixes),
    action: rule.access,
    destinationPortRanges: list(rule.destinationPorts),
    sourcePortRanges: list(rule.sourcePorts),
    priority: String(rule.priority),
    direction: rule.direction,
  };
}
