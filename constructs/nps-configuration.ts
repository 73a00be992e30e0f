import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { SECRETS_USER_ROLE } from './certificates';
import { EntraMfaClient } from './entra-mfa-client';
import { ClientCertificateVault, NpsClientCertificates } from './nps-client-certificates';
import { CERTIFICATE_THUMBPRINT, IDENTITY_CLIENT_ID, npsRadiusScript, RadiusClientSpec } from './scripts/nps';
import { npsExtensionScript } from './scripts/nps-extension';
import { npsTasksScript } from './scripts/nps-tasks';
import { SecretReference } from './secrets';
import { runScript } from './server-steps';
import { WindowsServerPool } from './windows-server-pool';

/** A RADIUS client of the NPS servers, with where its shared secret is. */
export interface NpsRadiusClient {
  readonly name: string;
  readonly address: string;
  readonly sharedSecret: SecretReference;
}

/** Props of the NPS servers' configuration. */
export interface NpsConfigurationProps {
  readonly pool: WindowsServerPool;
  /** The NPS servers' user-assigned identity: it reads the shared secrets and the client certificates. */
  readonly identity: UserAssignedIdentity;
  /** The AD domain the servers register in. */
  readonly domainName: string;
  readonly radiusClients: readonly NpsRadiusClient[];
  /** The Microsoft Entra tenant, and the service principal the client certificates are registered on. */
  readonly tenantId: string;
  readonly entraMfaClient: EntraMfaClient;
  /** Where the client certificates are kept. */
  readonly certificateVault: ClientCertificateVault;
  /**
   * The NPS extension is installed on every server (nps.extensionInstalled, a manual step): only then is it
   * configured.
   */
  readonly extensionInstalled: boolean;
  /** OVERRIDE_NUMBER_MATCHING_WITH_OTP; undefined: the extension's default. */
  readonly overrideNumberMatchingWithOtp?: boolean;
}

/** The name of a vault from its resource id (/subscriptions/…/providers/Microsoft.KeyVault/vaults/<name>). */
const vaultNameOf = (keyVaultResourceId: string) => keyVaultResourceId.split('/')[8];

/**
 * Each NPS server configured in order, one server after the other, so that no two restart IAS together: its client
 * certificate installed, then its RADIUS side (nps-radius), the NPS extension once it is installed (nps-extension),
 * and the health endpoint with the certificate check (nps-tasks), which puts the server into the load balancer's
 * rotation last. The identity gets Key Vault Secrets User on each shared secret, scoped to the secret
 * (`<vault id>/secrets/<name>`, "Azure RBAC for Key Vault: best practices for individual keys, secrets, and
 * certificates role assignments", https://learn.microsoft.com/azure/key-vault/general/rbac-guide), and nothing else
 * of those vaults; the secrets never reach Terraform (constructs/scripts/key-vault-secret.ts).
 */
export class NpsConfiguration extends Construct {
  /** By server id, the last configuration step of that server. */
  readonly steps = new Map<string, ITerraformDependable>();
  readonly certificates: NpsClientCertificates;

  constructor(scope: Construct, id: string, props: NpsConfigurationProps) {
    super(scope, id);
    // One role assignment per secret, however many clients share it; its id names the vault and the secret.
    const readers = new Map<string, RoleAssignment>();
    for (const client of props.radiusClients) {
      const ref = client.sharedSecret;
      const key = `${vaultNameOf(ref.keyVaultResourceId)}-${ref.secretName}`.toLowerCase();
      if (readers.has(key)) continue;
      readers.set(
        key,
        new RoleAssignment(this, `secrets-user-${key}`, {
          scope: `${ref.keyVaultResourceId}/secrets/${ref.secretName}`,
          roleDefinitionName: SECRETS_USER_ROLE,
          principalId: props.identity.principalId,
          principalType: 'ServicePrincipal',
          description: `The NPS servers read the RADIUS shared secret ${ref.secretName} at run time.`,
        }),
      );
    }
    this.certificates = new NpsClientCertificates(this, 'client-certificates', {
      servers: props.pool.servers,
      identity: props.identity,
      tenantId: props.tenantId,
      entraMfaClient: props.entraMfaClient,
      vault: props.certificateVault,
    });

    const clients: RadiusClientSpec[] = props.radiusClients.map((c) => ({
      name: c.name,
      address: c.address,
      vaultName: vaultNameOf(c.sharedSecret.keyVaultResourceId),
      secretName: c.sharedSecret.secretName,
    }));
    const radius = npsRadiusScript({ domainName: props.domainName, clients });
    const extension = npsExtensionScript({ tenantId: props.tenantId, overrideNumberMatchingWithOtp: props.overrideNumberMatchingWithOtp });
    const tasks = npsTasksScript();
    let previous: ITerraformDependable | undefined;
    for (const server of props.pool.servers) {
      const certificate = this.certificates.byServer.get(server.id)!;
      let last: ITerraformDependable = runScript(server, radius, {
        values: { [IDENTITY_CLIENT_ID]: props.identity.clientId },
        dependsOn: [certificate.installed, ...readers.values(), ...(previous ? [previous] : [])],
      });
      if (props.extensionInstalled) {
        last = runScript(server, extension, {
          values: { [CERTIFICATE_THUMBPRINT]: certificate.thumbprint },
          dependsOn: [last, certificate.registered],
          // It may wait for the Key Vault extension's next poll (an hour) to install a renewed certificate.
          timeout: '90m',
        });
      }
      last = runScript(server, tasks, { dependsOn: [last] });
      this.steps.set(server.id, last);
      previous = last;
    }
  }
}
