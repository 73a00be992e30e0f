import { nonCompliant, Rule } from './rule';
import { blocksOf, isVm } from './topology';

/** Every VM encrypts its disks and caches at the host, or its OS disk with a disk encryption set. */
export const encryptionAtHost: Rule = (resource) => {
  if (!isVm(resource)) return 'n/a';
  if (resource.body.encryption_at_host_enabled === true) return 'compliant';
  if (blocksOf(resource.body.os_disk).some((d) => d.disk_encryption_set_id)) return 'compliant';
  return nonCompliant('neither encryption_at_host_enabled nor an OS disk encryption set');
};
