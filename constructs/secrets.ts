import { DataAzurermKeyVaultSecret } from '@cdktf/provider-azurerm/lib/data-azurerm-key-vault-secret';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Password } from '@cdktf/provider-random/lib/password';
import { Fn, ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { createKeyVault, DEPLOYER_ROLES } from './key-vault';
import { TierName } from './values';

/** A secret that already exists in a Key Vault. */
export interface SecretReference {
  /** Full Azure resource id of the vault. */
  readonly keyVaultResourceId: string;
  /** Name of the secret in that vault. */
  readonly secretName: string;
}

/** Props of the environment's secrets. */
export interface SecretsProps {
  /** Name of the vault to create (globally unique, 3–24 characters). */
  readonly keyVaultName: string;
  /** Resource group of the vault. */
  readonly resourceGroupName: string;
  /** Azure region of the vault. */
  readonly location: string;
  /** Tags of the vault and its secrets. */
  readonly tags: Record<string, string>;
  /** Public ranges allowed through the vault firewall: where Terraform runs. */
  readonly allowedIpRanges: readonly string[];
  /** Tiers that need a local admin password. */
  readonly tiers: readonly TierName[];
  /** Use this existing secret as every server's admin password. @default a generated password per tier */
  readonly adminPassword?: SecretReference;
  /**
   * The domain-join account's password, read at plan time for JsonADDomainExtension; omit when the servers read it
   * themselves at run time (domain.join "run-command").
   */
  readonly domainJoinPassword?: SecretReference;
  /**
   * Days after creation at which a generated password's secret expires: the date its rotation is due.
   * @default 365
   */
  readonly passwordLifetimeDays?: number;
}

/**
 * The Key Vault of the environment and the passwords the servers need. Only references reach the
 * synthesized Terraform: generated passwords come from `random_password`, the others are read from
 * Key Vault at plan time (the domain-join password only for JsonADDomainExtension). Terraform state does hold
 * them: keep state in a protected backend.
 * No server reads this vault: the certificates the servers read live in a vault of their own.
 */
export class Secrets extends Construct {
  /** The environment's Key Vault, holding the generated passwords. */
  readonly keyVault: KeyVault;
  /** A reference to the domain-join password, where Terraform reads it (domain.join "extension"). */
  readonly domainJoinPassword?: string;
  /** What writes into the vault wait for: the roles and their propagation. */
  readonly writable: ITerraformDependable;
  private readonly adminPasswords: Partial<Record<TierName, string>> = {};

  constructor(scope: Construct, id: string, props: SecretsProps) {
    super(scope, id);
    const created = createKeyVault(this, 'Resource', {
      ...props,
      name: props.keyVaultName,
      // The identity that runs Terraform writes the generated passwords.
      deployerRoles: { 'deployer-secrets-officer': DEPLOYER_ROLES.secrets },
    });
    this.keyVault = created.vault;
    this.writable = created.writable;
    this.domainJoinPassword = props.domainJoinPassword && readSecret(this, 'domain-join-password', props.domainJoinPassword);

    const lifetimeHours = (props.passwordLifetimeDays ?? 365) * 24;
    const shared = props.adminPassword ? readSecret(this, 'admin-password', props.adminPassword) : undefined;
    for (const tier of props.tiers) {
      if (shared !== undefined) {
        this.adminPasswords[tier] = shared;
        continue;
      }
      const generated = new Password(this, `${tier}-admin-password`, {
        length: 32,
        minLower: 2,
        minUpper: 2,
        minNumeric: 2,
        minSpecial: 2,
        overrideSpecial: '!#%*()-_=+[]{}:?',
      });
      new KeyVaultSecret(this, `${tier}-admin-password-secret`, {
        name: `${tier}-admin-password`,
        keyVaultId: this.keyVault.id,
        value: generated.result,
        contentType: 'password',
        // Key Vault keeps serving an expired secret: the date flags the rotation, it does not lock servers out.
        expirationDate: Fn.timeadd(Fn.timestamp(), `${lifetimeHours}h`),
        // Fixed at creation; timestamp() would otherwise move it on every plan.
        lifecycle: { ignoreChanges: ['expiration_date'] },
        dependsOn: [this.writable],
      });
      this.adminPasswords[tier] = generated.result;
    }
  }

  /** A reference to the local admin password of a tier's servers. */
  adminPassword(tier: TierName): string {
    const password = this.adminPasswords[tier];
    if (password === undefined) throw new Error(`Secrets: no admin password for tier ${tier}`);
    return password;
  }
}

/** The value of an existing Key Vault secret, read at plan time: a reference, never a literal. */
export function readSecret(scope: Construct, id: string, ref: SecretReference): string {
  return new DataAzurermKeyVaultSecret(scope, id, { name: ref.secretName, keyVaultId: ref.keyVaultResourceId }).value;
}

/** The role that reads a secret's value ("Key Vault Secrets User", Azure built-in roles for Key Vault data plane). */
export const SECRET_READER_ROLE = 'Key Vault Secrets User';

/** The vault's name, from its resource id (`/subscriptions/…/providers/Microsoft.KeyVault/vaults/<name>`). */
export const vaultNameOf = (keyVaultResourceId: string) => keyVaultResourceId.split('/')[8];

/** A secret as a script reads it at run time: its vault's name and its own (constructs/scripts/key-vault-secret.ts). */
export const runtimeSecretOf = (ref: SecretReference) => ({ vaultName: vaultNameOf(ref.keyVaultResourceId), secretName: ref.secretName });

/**
 * Lets an identity read one secret, and nothing else of its vault: Key Vault Secrets User scoped to the secret
 * (`<vault id>/secrets/<name>`, "Azure RBAC for Key Vault: best practices for individual keys, secrets, and
 * certificates role assignments", https://learn.microsoft.com/azure/key-vault/general/rbac-guide). The servers read
 * such a secret themselves at run time: its value never reaches Terraform.
 */
export function grantSecretRead(scope: Construct, id: string, ref: SecretReference, principalId: string, why: string): RoleAssignment {
  return new RoleAssignment(scope, id, {
    scope: `${ref.keyVaultResourceId}/secrets/${ref.secretName}`,
    roleDefinitionName: SECRET_READER_ROLE,
    principalId,
    principalType: 'ServicePrincipal',
    description: why,
  });
}
