import { isReference } from './no-secret-literals';
import { nonCompliant, Rule } from './rule';
import { blocksOf } from './topology';

/** Parameter names that carry a credential. */
const CREDENTIAL = /password|secret|credential|token|key/i;

/**
 * A Run Command passes credentials only as protected parameters, and those hold references: a public
 * parameter is returned by the API and shown in the portal, and a literal lands in the configuration.
 */
export const protectedRunCommandParameters: Rule = (resource) => {
  if (resource.kind !== 'resource' || resource.type !== 'azurerm_virtual_machine_run_command') return 'n/a';
  const exposed = blocksOf(resource.body.parameter).find((p) => CREDENTIAL.test(String(p.name)));
  if (exposed) return nonCompliant(`parameter ${exposed.name} carries a credential in the clear; pass it as a protected_parameter`);
  const literal = blocksOf(resource.body.protected_parameter).find((p) => typeof p.value !== 'string' || !isReference(p.value));
  if (literal) return nonCompliant(`protected_parameter ${literal.name} holds a literal; use a reference to a Key Vault secret`);
  return 'compliant';
};
