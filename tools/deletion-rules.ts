import { lockedResources, PARENT_ARGUMENTS } from './lock-scope';
import { referencesIn } from './plan-references';
import { StackDocument } from './synth-diff';
import { isRecord } from '../constructs/policies/stack-view';

/*
 * What a plan's deletions take with them, and what stops them: the rules Azure, the azurerm provider and
 * Terraform apply beyond the configuration's own references.
 * - A child resource (its Azure ID lies under its parent's: a subnet under its VNet, a rule under its NSG, an
 *   extension under its VM) is deleted with its parent, even where Terraform's plan keeps it.
 * - Deleting a resource group deletes what is in it ("Azure Resource Manager resource group and resource
 *   deletion", https://learn.microsoft.com/azure/azure-resource-manager/management/delete-resource-group), but
 *   the azurerm provider first refuses while the group holds a resource (`features.resource_group.
 *   prevent_deletion_if_contains_resources`, true by default since 3.0,
 *   https://github.com/hashicorp/terraform-provider-azurerm/issues/13777).
 * - `prevent_destroy` makes Terraform refuse a plan that destroys or replaces the resource, but only while its
 *   resource block is in the configuration ("This rule doesn't prevent Terraform from destroying the resource if
 *   you remove the resource configuration", https://developer.hashicorp.com/terraform/language/meta-arguments#lifecycle).
 * - A CanNotDelete lock refuses the deletion of what it covers (./lock-scope.ts) unless the plan removes the lock
 *   first: Terraform destroys a resource's dependents before it, and a lock whose scope is replaced is one.
 * - Azure refuses to delete (or re-address) what another resource still uses (IN_USE_RULES).
 */

/** What stops a deletion or a change, and where. */
export interface Refusal {
  /** `prevent_destroy`: Terraform refuses the plan; the others: Azure or the provider refuse during the apply. */
  readonly by: 'prevent_destroy' | 'lock' | 'in use' | 'resource group not empty';
  /** The locks, the resources that still use it, or what the resource group still holds. */
  readonly holders: readonly string[];
  /** Why, in the words the report uses. */
  readonly why: string;
  readonly source: string;
}

/** A rule of Azure's: a resource of `type` cannot be deleted (or have `change` changed) while one of `heldBy` refers to it. */
export interface InUseRule {
  readonly type: string;
  /** The attribute whose change Azure refuses; absent: the deletion. */
  readonly change?: string;
  readonly heldBy: readonly { readonly type: string; readonly path: string }[];
  readonly why: string;
  readonly source: string;
}

const IN_SUBNET = [
  { type: 'azurerm_network_interface', path: 'ip_configuration.subnet_id' },
  { type: 'azurerm_lb', path: 'frontend_ip_configuration.subnet_id' },
];
const MANAGE_SUBNET = 'https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-subnet';

/** Azure's "in use" refusals, each from its page. */
export const IN_USE_RULES: readonly InUseRule[] = [
  {
    type: 'azurerm_network_interface',
    heldBy: [
      { type: 'azurerm_windows_virtual_machine', path: 'network_interface_ids' },
      { type: 'azurerm_linux_virtual_machine', path: 'network_interface_ids' },
    ],
    why: 'a network interface can be deleted only while no virtual machine holds it (NicInUse)',
    source: 'https://learn.microsoft.com/azure/virtual-network/virtual-network-network-interface#delete-a-network-interface',
  },
  { type: 'azurerm_subnet', heldBy: IN_SUBNET, why: 'a subnet can be deleted only while no resource is in it', source: `${MANAGE_SUBNET}#delete-a-subnet` },
  {
    type: 'azurerm_subnet',
    change: 'address_prefixes',
    heldBy: IN_SUBNET,
    why: 'its address range changes only while no resource is in it',
    source: `${MANAGE_SUBNET}#change-subnet-settings`,
  },
];

/**
 * Extension resources: their ID lies under the resource they apply to (`…/providers/Microsoft.Authorization/…`),
 * which is not their parent. A lock on that resource covers them (./lock-scope.ts); they are not counted as
 * deleted with it here.
 */
const EXTENSION_TYPES = new Set(['azurerm_role_assignment', 'azurerm_monitor_data_collection_rule_association']);

/** Child resource type → the argument naming its parent. */
export const CHILD_PARENTS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(PARENT_ARGUMENTS).filter(([type]) => !EXTENSION_TYPES.has(type)),
);

type Bodies = ReadonlyMap<string, Readonly<Record<string, unknown>>>;
const typeOf = (address: string) => address.split('.')[0];

/** Every value at `path` of a body, through lists of blocks (`ip_configuration.subnet_id` of each configuration). */
function valuesAt(value: unknown, parts: readonly string[]): unknown[] {
  if (Array.isArray(value)) return value.flatMap((v) => valuesAt(v, parts));
  if (parts.length === 0) return [value];
  return isRecord(value) ? valuesAt(value[parts[0]], parts.slice(1)) : [];
}

/** The resources `value` refers to, among `bodies`. */
const referred = (value: unknown, bodies: Bodies) => new Set(referencesIn(value, bodies).map((r) => r.address));

/** The parent of a child resource (a reference from its parent argument), if it is one of `bodies`. */
function parentOf(address: string, bodies: Bodies): string | undefined {
  const argument = CHILD_PARENTS[typeOf(address)];
  return argument ? [...referred(bodies.get(address)?.[argument], bodies)][0] : undefined;
}

/** The resource group a (top-level) resource is in: its `resource_group_name`, a reference or the group's literal name. */
function groupOf(address: string, bodies: Bodies, groups: readonly string[]): string | undefined {
  const name = bodies.get(address)?.resource_group_name;
  if (name === undefined || CHILD_PARENTS[typeOf(address)]) return undefined;
  return [...referred(name, bodies)].find((a) => groups.includes(a)) ?? groups.find((g) => bodies.get(g)?.name === name);
}

/** `features.resource_group.prevent_deletion_if_contains_resources` of the azurerm provider; true unless set false. */
export function groupDeletionGuarded(doc: StackDocument): boolean {
  const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
  const provider = isRecord(doc.provider) ? first(doc.provider.azurerm) : undefined;
  const group = first(first(provider?.features)?.resource_group);
  return first(group)?.prevent_deletion_if_contains_resources !== false;
}

/** A plan's deletions and changes, in the addresses of `before`. */
export interface PlannedDeletions {
  readonly before: Bodies;
  readonly after: Bodies;
  readonly beforeDoc: StackDocument;
  readonly afterDoc: StackDocument;
  /** Address before → how Terraform's plan deletes it. */
  readonly planned: ReadonlyMap<string, 'replace' | 'destroy' | 're-addressed'>;
  /** Address before → address after, for the resources the plan keeps (updated, replaced or untouched). */
  readonly kept: ReadonlyMap<string, string>;
  /** Address before → the attribute paths it changes in place. */
  readonly updated: ReadonlyMap<string, readonly string[]>;
}

/** What the plan deletes beyond its own deletions, and what refuses any of them. */
export interface DeletionConsequences {
  /** Address before → the container (address before) Azure deletes it with; Terraform's plan does not show it. */
  readonly implicit: ReadonlyMap<string, string>;
  /** Address before → what refuses its deletion or change. */
  readonly refusals: ReadonlyMap<string, readonly Refusal[]>;
}

/** Applies the rules above to a plan's deletions. */
export function deletionConsequences(p: PlannedDeletions): DeletionConsequences {
  const deleted = new Set(p.planned.keys());
  const implicit = new Map<string, string>();
  const groups = [...p.before.keys()].filter((a) => typeOf(a) === 'azurerm_resource_group');
  const guarded = groupDeletionGuarded(p.afterDoc);
  for (let grew = true; grew;) {
    grew = false;
    for (const address of p.before.keys()) {
      if (deleted.has(address)) continue;
      const parent = parentOf(address, p.before);
      const group = guarded ? undefined : groupOf(address, p.before, groups);
      const container = parent && deleted.has(parent) ? parent : group && deleted.has(group) ? group : undefined;
      if (!container) continue;
      implicit.set(address, container);
      deleted.add(address);
      grew = true;
    }
  }

  const refusals = new Map<string, Refusal[]>();
  const refuse = (address: string, refusal: Refusal) => refusals.set(address, [...(refusals.get(address) ?? []), refusal]);
  for (const [address, how] of p.planned) {
    const body = how === 'replace' ? p.after.get(p.kept.get(address) ?? '') : undefined;
    if (isRecord(body?.lifecycle) && body.lifecycle.prevent_destroy === true) {
      refuse(address, {
        by: 'prevent_destroy',
        holders: [],
        why: '`prevent_destroy` is set: the plan fails ("Instance cannot be destroyed")',
        source: 'https://developer.hashicorp.com/terraform/language/meta-arguments#lifecycle',
      });
    }
  }
  const locked = lockedResources(p.beforeDoc);
  for (const address of deleted) {
    const locks = (locked.get(address) ?? []).filter((l) => !deleted.has(l) && l !== address);
    if (locks.length)
      refuse(address, {
        by: 'lock',
        holders: locks,
        why: 'a CanNotDelete lock covers it, and the plan keeps the lock',
        source: 'https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources',
      });
  }
  for (const rule of IN_USE_RULES) {
    const subjects = [...(rule.change ? p.updated : deleted).keys()].filter(
      (a) => typeOf(a) === rule.type && (!rule.change || p.updated.get(a)!.some((path) => path.replace(/\[\d+\]/g, '') === rule.change)),
    );
    for (const address of subjects) {
      const holders = rule.heldBy.flatMap(({ type, path }) =>
        [...p.before.keys()].filter(
          (h) => typeOf(h) === type && !deleted.has(h) && valuesAt(p.before.get(h), path.split('.')).some((v) => referred(v, p.before).has(address)),
        ),
      );
      if (holders.length) refuse(address, { by: 'in use', holders: holders.sort(), why: rule.why, source: rule.source });
    }
  }
  if (guarded) {
    for (const group of groups.filter((g) => deleted.has(g))) {
      const held = [...p.before.keys()].filter((a) => !deleted.has(a) && groupOf(a, p.before, groups) === group).sort();
      if (held.length)
        refuse(group, {
          by: 'resource group not empty',
          holders: held,
          why: 'the azurerm provider deletes a resource group only once it holds nothing (prevent_deletion_if_contains_resources)',
          source: 'https://github.com/hashicorp/terraform-provider-azurerm/issues/13777',
        });
    }
  }
  return { implicit, refusals };
}
