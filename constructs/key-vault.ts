import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { TimeSleep } from './time-sleep';

/** The Key Vault roles the identity that runs Terraform may need on a vault the toolkit creates. */
export const DEPLOYER_ROLES = { secrets: 'Key Vault Secrets Officer', certificates: 'Key Vault Certificates Officer' } as const;

/** Props of a vault the toolkit creates. */
export interface HardenedKeyVaultProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Record<string, string>;
  /** Public ranges allowed through the vault firewall: where Terraform runs. */
  readonly allowedIpRanges: readonly string[];
  /** Subnets allowed through the vault firewall (with the `Microsoft.KeyVault` service endpoint). */
  readonly allowedSubnetIds?: readonly string[];
  /** Roles of the deploying identity on the vault, by construct id. */
  readonly deployerRoles: Readonly<Record<string, string>>;
}

/**
 * How long the first apply waits after granting the deploying identity its roles on a new vault, before writing
 * into it. Key Vault's RBAC "can take several minutes for role assignments to be applied" (Microsoft, "Azure RBAC
 * vs. access policies", https://learn.microsoft.com/azure/key-vault/general/rbac-access-policy), and the provider
 * does not retry the 403 it gets meanwhile (Azure/terraform-azurerm-avm-res-keyvault-vault#78, which added the
 * same wait; hashicorp/terraform-provider-azurerm#23927).
 */
export const DEPLOYER_ROLE_PROPAGATION = '300s';

/** A vault the toolkit created. */
export interface CreatedKeyVault {
  readonly vault: KeyVault;
  /** What writes into the vault wait for: the roles, then DEPLOYER_ROLE_PROPAGATION (once, when they are created). */
  readonly writable: ITerraformDependable;
}

/**
 * Adds a Key Vault to `scope` as every vault of the toolkit is: premium, purge-protected, soft delete of 90
 * days, a firewall that denies by default, Azure RBAC, and the roles the deploying identity needs on it. The
 * vault is the child `vaultId` of `scope`, so that its address stays the one it always had. The roles go to the
 * identity of the deployment that creates them; every other identity that deploys needs them too, and a later
 * deployment by another identity leaves them as they are.
 */
export function createKeyVault(scope: Construct, vaultId: string, props: HardenedKeyVaultProps): CreatedKeyVault {
  const client = new DataAzurermClientConfig(scope, 'client');
  const vault = new KeyVault(scope, vaultId, {
    name: props.name,
    resourceGroupName: props.resourceGroupName,
    location: props.location,
    tags: props.tags,
    tenantId: client.tenantId,
    skuName: 'premium',
    purgeProtectionEnabled: true,
    softDeleteRetentionDays: 90,
    networkAcls: {
      defaultAction: 'Deny',
      bypass: 'AzureServices',
      ipRules: [...props.allowedIpRanges],
      virtualNetworkSubnetIds: props.allowedSubnetIds && props.allowedSubnetIds.length > 0 ? [...props.allowedSubnetIds] : undefined,
    },
    rbacAuthorizationEnabled: true,
  });
  const deployerRoles = Object.entries(props.deployerRoles).map(
    ([roleId, role]) =>
      new RoleAssignment(scope, roleId, {
        scope: vault.id,
        roleDefinitionName: role,
        principalId: client.objectId,
        description: 'The identity that runs Terraform for this environment.',
        lifecycle: { ignoreChanges: ['principal_id'] },
      }),
  );
  const writable = new TimeSleep(scope, 'deployer-roles-propagation', {
    createDuration: DEPLOYER_ROLE_PROPAGATION,
    // A role assignment made again (another id) is waited for again.
    triggers: Object.fromEntries(Object.keys(props.deployerRoles).map((roleId, i) => [roleId, deployerRoles[i].id])),
    dependsOn: deployerRoles,
  });
  return { vault, writable };
}
