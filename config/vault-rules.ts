import { vaultNameOf } from './fields';
import type { RuleViolation } from './rules';
import type { Environment } from './schema';

/*
 * Key Vault names, and the names of the objects in them, as Azure compares them: without regard to case.
 * - A vault name is global ("Key Vault names are selected by the user and are globally unique",
 *   learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates): a vault the file creates
 *   cannot bear the name of one it reads.
 * - Object names are case-insensitive, and a certificate comes with "an addressable key and secret ... with the
 *   same name" (learn.microsoft.com/azure/key-vault/certificates/about-certificates#composition-of-a-certificate):
 *   two names that differ only by case are one object, and a secret read under a certificate's name is its PFX.
 */

/** An object the file reads from, or creates in, a vault. */
interface VaultObject {
  readonly path: string;
  /** Vault name, lower case. */
  readonly vault: string;
  readonly name: string;
  readonly kind: 'secret' | 'certificate';
}

/** The Key Vault secrets the file reads, where it names them. */
export function secretRefs(env: Environment): VaultObject[] {
  const refs: [string, { keyVaultResourceId: string; secretName: string } | undefined][] = [
    ['domain.joinPasswordSecret', env.domain.joinPasswordSecret],
    ['vmAdmin.passwordSecret', env.vmAdmin.passwordSecret],
    ['adfs.farm.serviceAccount.passwordSecret', env.adfs.farm?.serviceAccount?.passwordSecret],
    ['adfs.farm.adminCredential.passwordSecret', env.adfs.farm?.adminCredential.passwordSecret],
    ['wap.trustCredential.passwordSecret', env.wap.trustCredential?.passwordSecret],
    ['monitoring.receivers.webhookUrlSecret', env.monitoring.receivers.webhookUrlSecret],
    ...(env.nps?.radiusClients ?? []).map(
      (c, i) => [`nps.radiusClients[${i}].sharedSecret`, c.sharedSecret] as [string, { keyVaultResourceId: string; secretName: string }],
    ),
  ];
  return refs.flatMap(([path, ref]) =>
    ref ? [{ path: `${path}.secretName`, vault: vaultNameOf(ref.keyVaultResourceId), name: ref.secretName, kind: 'secret' as const }] : [],
  );
}

/** The secrets of the internal tiers, which no perimeter server may read (policy MFAHA-SEC-03), by field path. */
export function internalSecretsOf(env: Environment): { path: string; ref: { keyVaultResourceId: string; secretName: string } }[] {
  const refs: [string, { keyVaultResourceId: string; secretName: string } | undefined][] = [
    ['domain.joinPasswordSecret', env.domain.joinPasswordSecret],
    ['adfs.farm.adminCredential.passwordSecret', env.adfs.farm?.adminCredential.passwordSecret],
    ['adfs.farm.serviceAccount.passwordSecret', env.adfs.farm?.serviceAccount?.passwordSecret],
  ];
  return refs.flatMap(([path, ref]) => (ref ? [{ path, ref }] : []));
}

/** The vaults the file reads: field path of the resource id, and the vault's name. */
function readVaults(env: Environment): { path: string; vault: string }[] {
  const vaults = secretRefs(env).map((r) => ({ path: r.path.replace(/\.secretName$/, '.keyVaultResourceId'), vault: r.vault }));
  if (env.certificates?.keyVaultResourceId) vaults.push({ path: 'certificates.keyVaultResourceId', vault: vaultNameOf(env.certificates.keyVaultResourceId) });
  return vaults;
}

/** Vault names and object names that collide once case is ignored. */
export function* vaultViolations(env: Environment): Generator<RuleViolation> {
  const read = readVaults(env);
  const created: [string, string | undefined][] = [
    ['keyVault.name', env.keyVault.name],
    ['certificates.keyVaultName', env.certificates?.keyVaultName],
    ['nps.keyVaultName', env.nps?.keyVaultName],
  ];
  for (const [path, name] of created) {
    const other = name === undefined ? undefined : read.find((r) => r.vault === name.toLowerCase());
    if (other)
      yield { path, expected: `must differ from the vault ${other.path} reads: Key Vault names are global, and the toolkit creates this vault`, got: name };
  }

  const objects = secretRefs(env);
  const certificates = env.certificates;
  // Self-signed certificates live in a vault of their own that nothing is read from (rule above); their names are checked in ./services-rules.ts.
  if (certificates && !certificates.selfSigned && certificates.keyVaultResourceId !== undefined) {
    const vault = vaultNameOf(certificates.keyVaultResourceId);
    for (const field of ['federationService', 'portal', 'webServiceSdk'] as const)
      objects.push({ path: `certificates.${field}`, vault, name: certificates[field], kind: 'certificate' });
  }
  const seen = new Map<string, VaultObject>();
  for (const object of objects) {
    const key = `${object.vault}/${object.name.toLowerCase()}`;
    const other = seen.get(key);
    if (other === undefined) {
      seen.set(key, object);
    } else if (other.kind !== object.kind) {
      yield {
        path: object.path,
        expected: `must differ from ${other.path} in vault ${object.vault}: a certificate's secret bears the certificate's name, so the two would be one object`,
        got: object.name,
      };
    } else if (other.name !== object.name) {
      yield {
        path: object.path,
        expected: `must be written as ${other.path} writes it ("${other.name}"), or be another name: Key Vault object names ignore case, so both name one ${object.kind}`,
        got: object.name,
      };
    }
  }
}
