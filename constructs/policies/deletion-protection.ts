import { nonCompliant, Rule } from './rule';
import { isVm, tierOfVm } from './topology';

/** Tiers whose servers hold data: MFA (PhoneFactor.pfdata) and AD FS (farm configuration). */
export const DATA_TIERS: readonly string[] = ['mfa', 'adfs'];

/** When deletion protection is on, every MFA and AD FS server has prevent_destroy and a CanNotDelete lock. */
export const deletionProtection: Rule = (resource, context) => {
  if (!context.inputs.deletionProtectionEnabled || !isVm(resource) || !DATA_TIERS.includes(tierOfVm(resource, context) ?? '')) return 'n/a';
  if (resource.body.lifecycle?.prevent_destroy !== true) return nonCompliant('no lifecycle.prevent_destroy');
  const locks = context.stack.referrers('azurerm_management_lock', 'scope', resource);
  if (!locks.some((lock) => lock.body.lock_level === 'CanNotDelete')) return nonCompliant('no CanNotDelete management lock on it');
  return 'compliant';
};
