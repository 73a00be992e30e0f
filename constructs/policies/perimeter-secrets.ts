import type { SecretReference } from '../secrets';
import { nonCompliant, PolicyContext, Rule } from './rule';
import { listOf, ResourceView, StackView } from './stack-view';
import { blocksOf, isVm, tierOfVm } from './topology';

/** The resources that carry something onto a server: its extensions and Run Commands. */
const SERVER_STEP_TYPES = ['azurerm_virtual_machine_run_command', 'azurerm_virtual_machine_extension'];

/** `data.azurerm_key_vault_secret.<name>` anywhere in an expression. */
const SECRET_READ = /data\.azurerm_key_vault_secret\.([A-Za-z0-9_-]+)/g;

/** Every string of a block, looking into JSON-encoded strings too (settings, protected settings). */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') {
    const nested = /^\s*[[{]/.test(value) ? tryParse(value) : undefined;
    return [value, ...(nested === undefined ? [] : stringsOf(nested))];
  }
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsOf);
  return [];
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The vault name of a Key Vault resource id (its last segment), lower case: how its URL starts. */
const vaultNameOf = (id: string) => id.split('/').filter(Boolean).pop()!.toLowerCase();

const same = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

/** The internal secret a string reads, through a Key Vault data source or by its secret URL. */
function internalSecretIn(text: string, secrets: readonly SecretReference[], stack: StackView): SecretReference | undefined {
  for (const [, name] of text.matchAll(SECRET_READ)) {
    const read = stack.target(`\${data.azurerm_key_vault_secret.${name}.value}`);
    const found = secrets.find((s) => read !== undefined && same(read.body.name, s.secretName) && same(read.body.key_vault_id, s.keyVaultResourceId));
    if (found) return found;
  }
  const lower = text.toLowerCase();
  return secrets.find((s) => lower.includes(`${vaultNameOf(s.keyVaultResourceId)}.vault.azure.net/secrets/${s.secretName.toLowerCase()}`));
}

/**
 * Roles that read a secret's value in a vault that uses Azure RBAC ("Azure built-in roles for Key Vault data plane
 * operations", https://learn.microsoft.com/azure/key-vault/general/rbac-guide).
 */
const SECRET_READING_ROLES = ['key vault secrets user', 'key vault secrets officer', 'key vault administrator'];

/** The internal secret a role assignment's scope covers: the secret itself, its vault, or a scope above the vault. */
function internalSecretCovered(scope: unknown, secrets: readonly SecretReference[]): SecretReference | undefined {
  if (typeof scope !== 'string') return undefined;
  const lower = scope.toLowerCase().replace(/\/+$/, '');
  return secrets.find((s) => {
    const vault = s.keyVaultResourceId.toLowerCase();
    return lower === `${vault}/secrets/${s.secretName.toLowerCase()}` || lower === vault || vault.startsWith(`${lower}/`);
  });
}

/** Whether a role assignment's principal is an identity attached to a proxy. */
function isProxyIdentity(principal: unknown, context: PolicyContext): boolean {
  const identity = context.stack.target(principal);
  if (!identity || identity.type !== 'azurerm_user_assigned_identity') return false;
  return context.stack.all.some(
    (vm) =>
      isVm(vm) &&
      blocksOf(vm.body.identity).some((b) => listOf(b.identity_ids).some((id) => context.stack.target(id) === identity)) &&
      tierOfVm(vm, context) === 'wap',
  );
}

/**
 * No perimeter server receives a secret of the internal tiers, through what Terraform carries onto it (a Run
 * Command, an extension) or through what its identity may read in Key Vault at run time. The Web Application Proxies face the Internet and
 * are not domain members: the farm admin's, the domain join's or the AD FS service account's password on one of
 * them makes a compromised proxy a domain compromise. A proxy registers with its own trust credential, which
 * needs only local administrator rights on the AD FS servers ("Install-WebApplicationProxy",
 * https://learn.microsoft.com/powershell/module/webapplicationproxy/install-webapplicationproxy).
 */
export const perimeterSecrets: Rule = (resource: ResourceView, context) => {
  const { stack, inputs } = context;
  if (resource.kind === 'resource' && resource.type === 'azurerm_role_assignment') {
    if (!SECRET_READING_ROLES.includes(String(resource.body.role_definition_name ?? '').toLowerCase()) || !isProxyIdentity(resource.body.principal_id, context))
      return 'n/a';
    const secret = internalSecretCovered(resource.body.scope, inputs.internalSecrets);
    if (secret)
      return nonCompliant(
        `the proxies' identity may read the internal secret ${secret.secretName} of ${vaultNameOf(secret.keyVaultResourceId)}; scope its role to the proxies' own secrets (wap.trustCredential)`,
      );
    return 'compliant';
  }
  if (resource.kind !== 'resource' || !SERVER_STEP_TYPES.includes(resource.type)) return 'n/a';
  const vm = listOf(resource.body.virtual_machine_id)
    .map((id) => stack.target(id))
    .find((v) => v !== undefined);
  if (!vm || tierOfVm(vm, { stack, inputs }) !== 'wap') return 'n/a';
  for (const text of stringsOf(resource.body)) {
    const secret = internalSecretIn(text, inputs.internalSecrets, stack);
    if (secret)
      return nonCompliant(
        `a perimeter server receives the internal secret ${secret.secretName} of ${vaultNameOf(secret.keyVaultResourceId)}; give the proxies a credential of their own (wap.trustCredential)`,
      );
  }
  return 'compliant';
};
