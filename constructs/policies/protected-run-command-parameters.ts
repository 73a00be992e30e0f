import { isReference } from './no-secret-literals';
import { nonCompliant, Rule } from './rule';
import { blocksOf } from './topology';

/** Parameter names that carry a credential. */
const CREDENTIAL = /password|secret|credential|token|key/i;

/** `data.azurerm_key_vault_secret.<name>.value`, `random_password.<name>.result`: the values of secrets. */
const SECRET_VALUE = /\bdata\.azurerm_key_vault_secret\.[A-Za-z0-9_-]+\.value\b|\brandom_password\.[A-Za-z0-9_-]+\.(result|bcrypt_hash)\b/;

/** True when a parameter's value reads a secret, whatever the parameter is called. */
const readsSecret = (value: unknown) => typeof value === 'string' && SECRET_VALUE.test(value);

/**
 * A Run Command carries no credential. A public parameter is returned by the API and shown in the portal, and a
 * literal lands in the configuration; a protected parameter is hidden from both, but reaches the script as
 * `-Name value` on its command line, which process-creation auditing and EDR telemetry record. So a script that
 * needs a secret reads it at run time from Key Vault with its server's identity (constructs/scripts/key-vault-secret.ts).
 * A parameter is judged by its name and by its value: one that reads a Key Vault secret or a generated password is a
 * credential, however it is named.
 */
export const protectedRunCommandParameters: Rule = (resource) => {
  if (resource.kind !== 'resource' || resource.type !== 'azurerm_virtual_machine_run_command') return 'n/a';
  const parameters = blocksOf(resource.body.parameter);
  const named = parameters.find((p) => CREDENTIAL.test(String(p.name)));
  if (named) return nonCompliant(`parameter ${named.name} carries a credential in the clear; pass it as a protected_parameter`);
  const valued = parameters.find((p) => readsSecret(p.value));
  if (valued) return nonCompliant(`parameter ${valued.name} reads a secret's value in the clear; pass it as a protected_parameter`);
  const carried = blocksOf(resource.body.protected_parameter).find((p) => readsSecret(p.value));
  if (carried)
    return nonCompliant(`protected_parameter ${carried.name} puts a secret on the script's command line; let the script read it from Key Vault at run time`);
  const literal = blocksOf(resource.body.protected_parameter).find((p) => typeof p.value !== 'string' || !isReference(p.value));
  if (literal) return nonCompliant(`protected_parameter ${literal.name} holds a literal; use a reference to a Key Vault secret`);
  return 'compliant';
};
