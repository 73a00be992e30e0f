import { nonCompliant, Rule } from './rule';
import { isRecord, listOf } from './stack-view';
import { isVm, tierOfVm } from './topology';

/**
 * When deletion protection is on, every server that holds data (the policy inputs' protected tiers: MFA for
 * PhoneFactor.pfdata until the migration retires it, AD FS for the farm configuration) has prevent_destroy, and CanNotDelete locks on its
 * OS disk and its NICs, and no lock on the VM itself: extension resources inherit the VM's lock, which would stop
 * the toolkit from removing an extension, a Run Command or a data collection rule association.
 */
export const deletionProtection: Rule = (resource, context) => {
  if (!context.inputs.deletionProtectionEnabled || !isVm(resource) || !context.inputs.protectedTiers.includes(tierOfVm(resource, context) ?? ('' as never)))
    return 'n/a';
  if (!isRecord(resource.body.lifecycle) || resource.body.lifecycle.prevent_destroy !== true) return nonCompliant('no lifecycle.prevent_destroy');
  const locks = context.stack.ofType('azurerm_management_lock');
  const vmRef = `\${${resource.address}.`;
  if (locks.some((l) => l.body.scope === `${vmRef}id}`)) return nonCompliant('a management lock on the VM itself (its extensions inherit it)');
  const canNotDelete = (scope: unknown) => locks.some((l) => l.body.scope === scope && l.body.lock_level === 'CanNotDelete');
  if (!canNotDelete(`${vmRef}os_disk[0].id}`)) return nonCompliant('no CanNotDelete management lock on its OS disk');
  const nics = listOf(resource.body.network_interface_ids);
  if (nics.length === 0 || !nics.every(canNotDelete)) return nonCompliant('no CanNotDelete management lock on its NIC');
  return 'compliant';
};
