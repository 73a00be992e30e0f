import { ProviderRules } from './provider-rules-data';
import { compareStacks, StackDocument } from './synth-diff';

/**
 * What a plan would delete under a management lock. Azure applies a lock to the resource it names and to
 * everything whose resource ID lies under it: child resources and extension resources ("Lock your resources to
 * protect your infrastructure", lock inheritance,
 * https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources#lock-inheritance). A
 * CanNotDelete lock on a VM therefore refuses the deletion of its extensions, Run Commands and data collection
 * rule associations.
 */

/**
 * The argument of each resource type that names the resource its Azure ID lies under (its parent, or the
 * resource an extension resource applies to). Management locks are left out: removing a lock is never refused
 * by a lock.
 */
export const PARENT_ARGUMENTS: Readonly<Record<string, string>> = {
  azurerm_virtual_machine_extension: 'virtual_machine_id',
  azurerm_virtual_machine_run_command: 'virtual_machine_id',
  azurerm_monitor_data_collection_rule_association: 'target_resource_id',
  azurerm_role_assignment: 'scope',
  azurerm_backup_protected_vm: 'recovery_vault_name',
  azurerm_backup_policy_vm: 'recovery_vault_name',
  azurerm_key_vault_secret: 'key_vault_id',
  azurerm_key_vault_certificate: 'key_vault_id',
  azurerm_network_security_rule: 'network_security_group_name',
  azurerm_subnet: 'virtual_network_name',
  azurerm_lb_backend_address_pool: 'loadbalancer_id',
  azurerm_lb_probe: 'loadbalancer_id',
  azurerm_lb_rule: 'loadbalancer_id',
  azurerm_log_analytics_workspace_table_custom_log: 'workspace_id',
};

const REFERENCE = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_.[\]]+\}$/;
/** The address a whole-string reference points at (`${azurerm_x.y.os_disk[0].id}` → `azurerm_x.y`). */
const referenced = (value: unknown) => {
  const m = typeof value === 'string' ? REFERENCE.exec(value) : null;
  return m ? `${m[1]}.${m[2]}` : undefined;
};

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/**
 * Every resource of a document that a management lock covers, with the locks that cover it: the resource a lock's
 * scope refers to (a lock on `vm.os_disk[0].id` covers the VM, whose deletion deletes that disk), and, transitively,
 * every resource whose parent argument refers to a resource whose own ID is locked (`vm.id`).
 */
export function lockedResources(doc: StackDocument): Map<string, string[]> {
  const resources = (doc.resource ?? {}) as Resources;
  const covered = new Map<string, string[]>();
  const add = (address: string, locks: readonly string[]) => {
    const known = covered.get(address) ?? [];
    const more = locks.filter((l) => !known.includes(l));
    if (more.length > 0) covered.set(address, [...known, ...more].sort());
    return more.length > 0;
  };
  // Resources whose own ID is locked: their children and extension resources inherit the lock.
  const inherited = new Map<string, string[]>();
  for (const [name, lock] of Object.entries(resources.azurerm_management_lock ?? {})) {
    const target = referenced(lock.scope);
    if (!target) continue;
    add(target, [`azurerm_management_lock.${name}`]);
    // `${vm.id}` locks the VM; `${vm.os_disk[0].id}` locks its disk only, which deleting the VM deletes.
    if (/^\$\{[^.]+\.[^.]+\.(id|name)\}$/.test(String(lock.scope))) inherited.set(target, covered.get(target)!);
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const [type, argument] of Object.entries(PARENT_ARGUMENTS)) {
      for (const [name, body] of Object.entries(resources[type] ?? {})) {
        const parent = referenced(body[argument]);
        const locks = parent ? inherited.get(parent) : undefined;
        if (!locks) continue;
        const address = `${type}.${name}`;
        if (add(address, locks)) {
          inherited.set(address, covered.get(address)!);
          changed = true;
        }
      }
    }
  }
  return covered;
}

/** A resource a plan deletes (removed, or replaced because a ForceNew argument changed) while a lock covers it. */
export interface LockedDeletion {
  readonly address: string;
  readonly locks: readonly string[];
  /** `removed`, or the ForceNew argument whose change replaces it. */
  readonly because: string;
}

/** The ForceNew argument among changed paths (`os_disk.name` for `os_disk.name` or `os_disk[0].name`), if any. */
function forceNewChange(type: string, paths: readonly string[], providers: readonly ProviderRules[]): string | undefined {
  const schema = providers.map((p) => p.resources[type]).find((s) => s !== undefined);
  if (!schema) return undefined;
  for (const path of paths) {
    const segments = path.replace(/\[\d+\]/g, '').split('.');
    for (let i = 1; i <= segments.length; i++) {
      const attribute = segments.slice(0, i).join('.');
      if (schema[attribute]?.forceNew) return attribute;
    }
  }
  return undefined;
}

/**
 * What going from `before` to `after` would delete under a lock of `before`: Azure refuses each of these, and the
 * apply fails. Replacements count when `providers` (the rules file) says the changed argument is ForceNew.
 */
export function deletionsUnderLock(before: StackDocument, after: StackDocument, providers: readonly ProviderRules[] = []): LockedDeletion[] {
  const locked = lockedResources(before);
  const comparison = compareStacks('plan', before, after);
  const deletions: LockedDeletion[] = comparison.removed
    .filter((a) => locked.has(a) && !a.startsWith('azurerm_management_lock.'))
    .map((address) => ({ address, locks: locked.get(address)!, because: 'removed' }));
  const changedPaths = new Map<string, string[]>();
  for (const d of comparison.differences) changedPaths.set(d.address, [...(changedPaths.get(d.address) ?? []), d.path]);
  for (const [address, paths] of changedPaths) {
    const locks = locked.get(address);
    const attribute = locks && !address.startsWith('azurerm_management_lock.') ? forceNewChange(address.split('.')[0], paths, providers) : undefined;
    if (attribute) deletions.push({ address, locks: locks!, because: `${attribute} changes (ForceNew)` });
  }
  return deletions.sort((a, b) => a.address.localeCompare(b.address));
}
