import { ConfigError } from './errors';
import type { Environment } from './schema';

/*
 * What two environment files of one directory must not share: the environment name (stack name and
 * default state key), the Key Vault name (vault names are global across Azure: "Key Vault names are selected
 * by the user and are globally unique", learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates)
 * and the Terraform state (two stacks writing one state blob would destroy each other's resources).
 */

/** The default state key of an environment with an azurerm backend. */
export const defaultStateKey = (env: Pick<Environment, 'name'>) => `mfa-ha/${env.name}.tfstate`;

/** A value two environment files must not share. */
export interface UniqueField {
  /** Field path blamed in the error. */
  readonly path: string;
  /** The value compared, normalized the way Azure compares it; undefined when the file has none. */
  readonly key: (env: Environment) => string | undefined;
  /** The value shown in the error. */
  readonly shown: (env: Environment) => unknown;
  /** Why the value must be unique, appended to the message; empty for none. */
  readonly why: string;
}

/** Every value that must be unique across the environment files of a directory. */
export const UNIQUE_ACROSS_FILES: readonly UniqueField[] = [
  { path: 'name', key: (env) => env.name, shown: (env) => env.name, why: '' },
  {
    path: 'keyVault.name',
    // Vault names are case-insensitive DNS labels (<name>.vault.azure.net).
    key: (env) => env.keyVault.name.toLowerCase(),
    shown: (env) => env.keyVault.name,
    why: 'Key Vault names are global',
  },
  {
    path: 'certificates.keyVaultName',
    key: (env) => env.certificates?.keyVaultName?.toLowerCase(),
    shown: (env) => env.certificates?.keyVaultName,
    why: 'Key Vault names are global',
  },
  {
    path: 'backend.key',
    key: (env) => (env.backend.type === 'azurerm' ? `${env.backend.storageAccountName}/${env.backend.containerName}/${env.backend.key ?? defaultStateKey(env)}` : undefined),
    shown: (env) => (env.backend.type === 'azurerm' ? `${env.backend.storageAccountName}/${env.backend.containerName}/${env.backend.key ?? defaultStateKey(env)}` : undefined),
    why: 'two stacks would share one Terraform state',
  },
];

/** The first value two files share, as the error of the later file; undefined when all are unique. */
export function firstDuplicate(loaded: readonly { readonly file: string; readonly env: Environment }[]): ConfigError | undefined {
  for (const field of UNIQUE_ACROSS_FILES) {
    const seen = new Map<string, string>();
    for (const { file, env } of loaded) {
      const key = field.key(env);
      if (key === undefined) continue;
      const other = seen.get(key);
      if (other !== undefined) {
        return new ConfigError(file, field.path, `must be unique (${other} already uses it${field.why ? `; ${field.why}` : ''})`, field.shown(env));
      }
      seen.set(key, file);
    }
  }
  return undefined;
}
