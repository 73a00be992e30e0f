import { nonCompliant, Rule } from './rule';
import { isVm, tierOfVm } from './topology';

/** When backup is on, every MFA and AD FS server is a protected item of a Recovery Services vault. */
export const backupProtection: Rule = (resource, context) => {
  if (!context.inputs.backupEnabled || !isVm(resource) || !context.inputs.protectedTiers.includes(tierOfVm(resource, context) ?? ('' as never))) return 'n/a';
  const items = context.stack.referrers('azurerm_backup_protected_vm', 'source_vm_id', resource);
  return items.some((item) => item.body.backup_policy_id) ? 'compliant' : nonCompliant('no azurerm_backup_protected_vm with a backup policy for it');
};
