import { nonCompliant, Rule } from './rule';
import { isVm } from './topology';

/** Every VM keeps boot diagnostics (managed storage is enough): the serial log is how a stuck Windows boot is read. */
export const bootDiagnostics: Rule = (resource) => {
  if (!isVm(resource)) return 'n/a';
  const diagnostics = resource.body.boot_diagnostics;
  const present = Array.isArray(diagnostics) ? diagnostics.length > 0 : typeof diagnostics === 'object' && diagnostics !== null;
  return present ? 'compliant' : nonCompliant('no boot_diagnostics block');
};
