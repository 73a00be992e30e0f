import { overlaps, parseCidr } from './cidr';
import { ConfigError } from './errors';
import type { Environment } from './schema';
import { serviceNamesOf } from './service-names';
import { secretRefs } from './vault-rules';
import { ConfigWarning } from './warnings';

/*
 * What two environment files of one directory must not share: the environment name (stack name and
 * default state key), the Key Vault name (vault names are global across Azure: "Key Vault names are selected
 * by the user and are globally unique", learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates),
 * the Terraform state (two stacks writing one state blob would destroy each other's resources) and the DNS
 * names (one name can point at one load balancer; DNS compares names without regard to case, RFC 4343).
 * Overlapping address spaces are only a warning: two virtual networks that are never peered or connected
 * may use the same range.
 */

/** The default state key of an environment with an azurerm backend. */
export const defaultStateKey = (env: Pick<Environment, 'name'>) => `mfa-ha/${env.name}.tfstate`;

/** One value of a file, compared across files. */
export interface UniqueValue {
  /** Field path blamed in the error. */
  readonly path: string;
  /** The value compared, normalized the way Azure compares it. */
  readonly key: string;
  /** The value shown in the error. */
  readonly shown: unknown;
}

/** Values two environment files must not share. */
export interface UniqueField {
  /** The file's values; none when the file has none. */
  readonly values: (env: Environment) => readonly UniqueValue[];
  /** Why the value must be unique, appended to the message; empty for none. */
  readonly why: string;
  /** Two files that may share a value all the same (both labs, for secrets). */
  readonly exempt?: (a: Environment, b: Environment) => boolean;
}

const one = (path: string, key: string | undefined, shown: unknown = key): UniqueValue[] => (key === undefined ? [] : [{ path, key, shown }]);
const stateBlob = (env: Environment) =>
  env.backend.type === 'azurerm' ? `${env.backend.storageAccountName}/${env.backend.containerName}/${env.backend.key ?? defaultStateKey(env)}` : undefined;

/** Every value that must be unique across the environment files of a directory. */
export const UNIQUE_ACROSS_FILES: readonly UniqueField[] = [
  { values: (env) => one('name', env.name), why: '' },
  {
    // Vault names are case-insensitive DNS labels (<name>.vault.azure.net); a created vault's name is taken for every file.
    values: (env) => [
      ...one('keyVault.name', env.keyVault.name.toLowerCase(), env.keyVault.name),
      ...one('certificates.keyVaultName', env.certificates?.keyVaultName?.toLowerCase(), env.certificates?.keyVaultName),
      ...one('nps.keyVaultName', env.nps?.keyVaultName?.toLowerCase(), env.nps?.keyVaultName),
    ],
    why: 'Key Vault names are global',
  },
  { values: (env) => one('backend.key', stateBlob(env)), why: 'two stacks would share one Terraform state' },
  {
    values: (env) => Object.entries(serviceNamesOf(env)).map(([field, name]) => ({ path: `dns.${field}`, key: name.toLowerCase(), shown: name })),
    why: 'a DNS name points at one load balancer',
  },
  {
    // Tier 0: a lab's secret must not open production, and two production environments must not open each other.
    // Key Vault names and object names ignore case (./vault-rules.ts).
    values: (env) => secretRefs(env).map((r) => ({ path: r.path, key: `${r.vault}/${r.name.toLowerCase()}`, shown: `${r.name} in ${r.vault}` })),
    why: 'environments do not share secrets (purpose "lab" in both files allows it for labs)',
    exempt: (a, b) => a.purpose === 'lab' && b.purpose === 'lab',
  },
];

/** Every value a file shares with an earlier file, as the later file's errors naming the earlier one. */
export function duplicates(loaded: readonly { readonly file: string; readonly env: Environment }[]): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const field of UNIQUE_ACROSS_FILES) {
    const seen = new Map<string, { file: string; path: string; env: Environment }>();
    for (const { file, env } of loaded) {
      const own = new Map<string, { file: string; path: string; env: Environment }>();
      for (const value of field.values(env)) {
        const other = seen.get(value.key);
        if (other !== undefined && !field.exempt?.(other.env, env)) {
          const where = other.path === value.path ? other.file : `${other.file}, ${other.path}`;
          errors.push(new ConfigError(file, value.path, `must be unique (${where} already uses it${field.why ? `; ${field.why}` : ''})`, value.shown));
        }
        if (!own.has(value.key)) own.set(value.key, { file, path: value.path, env });
      }
      for (const [key, where] of own) if (!seen.has(key)) seen.set(key, where);
    }
  }
  return errors;
}

/** The files whose address space overlaps `addressSpace`. */
export function overlappingAddressSpaces(
  addressSpace: string,
  loaded: readonly { readonly file: string; readonly env: Environment }[],
): { file: string; addressSpace: string }[] {
  const range = parseCidr(addressSpace);
  if (range === undefined) return [];
  return loaded
    .filter(({ env }) => overlaps(range, parseCidr(env.network.addressSpace)!))
    .map(({ file, env }) => ({ file, addressSpace: env.network.addressSpace }));
}

/** A warning for each file whose address space overlaps an earlier file's. */
export function addressSpaceOverlaps(loaded: readonly { readonly file: string; readonly env: Environment }[]): ConfigWarning[] {
  return loaded.flatMap(({ file, env }, i) =>
    overlappingAddressSpaces(env.network.addressSpace, loaded.slice(0, i)).map(
      (other) =>
        new ConfigWarning(
          file,
          'network.addressSpace',
          `${env.network.addressSpace} overlaps network.addressSpace ${other.addressSpace} of ${other.file}: fine while the two virtual networks stay apart, but they can then never be peered or reach each other through a hub`,
        ),
    ),
  );
}
