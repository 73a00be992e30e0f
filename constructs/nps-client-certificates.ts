import { KeyVaultCertificate } from '@cdktf/provider-azurerm/lib/key-vault-certificate';
import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { Certificates, SECRETS_USER_ROLE } from './certificates';
import { EntraMfaClient } from './entra-mfa-client';
import { createKeyVault, DEPLOYER_ROLES, HardenedKeyVaultProps } from './key-vault';
import { clientCertificateSubject } from './scripts/nps-extension';
import { NPS_CERTIFICATE_EVENTS, NPS_CERTIFICATE_WARNING_DAYS, NPS_EVENT_SOURCE } from './scripts/nps-tasks';
import { installCertificates } from './server-steps';
import { Server } from './windows-server-pool';

/*
 * The NPS extension's client certificates through Microsoft's own-certificate route ("If you use your own
 * certificates …", https://learn.microsoft.com/entra/identity/authentication/howto-mfa-nps-extension): one per server
 * ("If you install the extension on multiple servers, each server should have its own certificate"), generated in
 * Key Vault (no private key passes through Terraform), with the Client Authentication purpose, installed by the Key
 * Vault VM extension with read access for NETWORK SERVICE, and registered on the Azure Multi-Factor Auth Client
 * service principal.
 *
 * Renewal: Key Vault renews each certificate RENEW_DAYS_BEFORE_EXPIRY ahead (AutoRenew lifetime action); the Key
 * Vault extension installs the new version beside the old within its polling hour; the next `cdktf deploy` reads the
 * new version, so the service principal's certificate is replaced (created before the old one is deleted) and the
 * nps-extension Run Command, whose thumbprint parameter changed, moves CLIENT_CERT_IDENTIFIER to it and deletes the
 * expired certificates. Until that deploy the old certificate keeps working; the hourly check on each server raises an
 * alert when the certificate in use comes within NPS_CERTIFICATE_WARNING_DAYS of its expiry, that is, when no deploy
 * followed a renewal for 30 days.
 */

/** The client certificate's lifetime: the two years of the certificates AzureMfaNpsExtnConfigSetup.ps1 makes ([NPS], "Certificate rollover"). */
export const CLIENT_CERTIFICATE_MONTHS = 24;
/** Key Vault renews a client certificate this many days before it expires. */
export const RENEW_DAYS_BEFORE_EXPIRY = 60;
/** The Client Authentication extended key usage ([NPS]: "make sure that they include the Client Authentication purpose"). */
export const CLIENT_AUTHENTICATION_EKU = '1.3.6.1.5.5.7.3.2';
/** The account the NPS extension reads the private key as ([NPS]: "READ permission granted to the user NETWORK SERVICE"). */
export const KEY_READERS = ['Network Service'] as const;

/** Where the client certificates are kept: the lab vault of the self-signed TLS certificates, or a vault of their own. */
export type ClientCertificateVault = { readonly lab: Certificates } | { readonly create: Omit<HardenedKeyVaultProps, 'deployerRoles'> };

/** Props of the client certificates. */
export interface NpsClientCertificatesProps {
  readonly servers: readonly Server[];
  readonly identity: UserAssignedIdentity;
  readonly tenantId: string;
  readonly entraMfaClient: EntraMfaClient;
  readonly vault: ClientCertificateVault;
}

/** One server's client certificate. */
export interface ClientCertificate {
  /** The Key Vault extension that installs it: configuration steps on the server follow it. */
  readonly installed: ITerraformDependable;
  /** Its thumbprint (hex), a reference: the nps-extension script names it in CLIENT_CERT_IDENTIFIER. */
  readonly thumbprint: string;
  /** Its registration on the service principal. */
  readonly registered: ITerraformDependable;
}

/**
 * A certificate per NPS server in Key Vault, the Key Vault extension on each server, the NPS identity's read access,
 * and each certificate's registration on the service principal. A vault of their own is read by the NPS identity only
 * (Key Vault Secrets User on the vault); in a lab the self-signed certificates' vault holds them, and the NPS identity
 * may read each of its own there, and no other certificate.
 */
export class NpsClientCertificates extends Construct {
  /** By server id. */
  readonly byServer = new Map<string, ClientCertificate>();
  /** The vault that holds them. */
  readonly vaultId: string;

  constructor(scope: Construct, id: string, props: NpsClientCertificatesProps) {
    super(scope, id);
    let writable: ITerraformDependable;
    /** By certificate name: the role that lets the NPS identity read it. */
    let readerOf: (name: string) => ITerraformDependable;
    if ('lab' in props.vault) {
      const lab = props.vault.lab.lab;
      if (lab === undefined) throw new Error('NpsClientCertificates: the certificates have no lab vault');
      this.vaultId = lab.vault.id;
      writable = lab.writable;
      // The lab vault holds every tier's certificates: the NPS identity reads its own, one by one.
      const labVault = props.vault.lab;
      readerOf = (name) =>
        labVault.grantSecret(
          `nps-reads-${name}`,
          name,
          props.identity.principalId,
          `The NPS servers read their client certificate ${name} (Key Vault VM extension).`,
        );
    } else {
      const created = createKeyVault(this, 'vault', { ...props.vault.create, deployerRoles: { 'deployer-certificates-officer': DEPLOYER_ROLES.certificates } });
      this.vaultId = created.vault.id;
      writable = created.writable;
      const reader = new RoleAssignment(this, 'nps-secrets-user', {
        scope: created.vault.id,
        roleDefinitionName: SECRETS_USER_ROLE,
        principalId: props.identity.principalId,
        principalType: 'ServicePrincipal',
        description: 'The NPS servers read their client certificates for Microsoft Entra MFA (Key Vault VM extension).',
      });
      readerOf = () => reader;
    }

    for (const server of props.servers) {
      const name = `${server.id}-entra-mfa-client`;
      const certificate = new KeyVaultCertificate(server.scope, 'entra-mfa-client-certificate', {
        name,
        keyVaultId: this.vaultId,
        dependsOn: [writable],
        certificatePolicy: {
          issuerParameters: { name: 'Self' },
          // Exportable: the Key Vault extension installs the certificate with its private key.
          keyProperties: { exportable: true, keySize: 2048, keyType: 'RSA', reuseKey: false },
          lifetimeAction: [{ action: { actionType: 'AutoRenew' }, trigger: { daysBeforeExpiry: RENEW_DAYS_BEFORE_EXPIRY } }],
          secretProperties: { contentType: 'application/x-pkcs12' },
          x509CertificateProperties: {
            subject: clientCertificateSubject(props.tenantId),
            keyUsage: ['digitalSignature', 'keyEncipherment'],
            extendedKeyUsage: [CLIENT_AUTHENTICATION_EKU],
            validityInMonths: CLIENT_CERTIFICATE_MONTHS,
          },
        },
      });
      const installed = installCertificates(server, {
        secretUrls: [certificate.versionlessSecretId],
        identityClientId: props.identity.clientId,
        dependsOn: [readerOf(name), certificate],
        accounts: KEY_READERS,
      });
      const validity = certificate.certificateAttribute.get(0);
      const registered = props.entraMfaClient.registerCertificate(server.scope, 'entra-mfa-client-registration', {
        // azurerm's certificate_data is the DER certificate in hexadecimal.
        value: certificate.certificateData,
        encoding: 'hex',
        startDate: validity.notBefore,
        endDate: validity.expires,
        // A renewal replaces the credential: the renewed one is registered before the old one goes.
        lifecycle: { createBeforeDestroy: true },
      });
      this.byServer.set(server.id, { installed, thumbprint: certificate.thumbprint, registered });
    }
  }
}

/** One alert on the certificate check's events. */
export interface NpsCertificateAlertSpec {
  readonly key: 'nps-certificate-near-expiry' | 'nps-certificate-invalid';
  readonly title: string;
  /** Azure Monitor severity: 1 is Error, 2 Warning. */
  readonly severity: 1 | 2;
  readonly event: keyof typeof NPS_CERTIFICATE_EVENTS;
  readonly why: string;
  readonly action: string;
}

/** THE alerts on the NPS client certificates, read from the Application events the hourly check writes. */
export const NPS_CERTIFICATE_ALERTS: readonly NpsCertificateAlertSpec[] = [
  {
    key: 'nps-certificate-near-expiry',
    title: 'NPS client certificate near expiry',
    severity: 2,
    event: 'nearExpiry',
    why: `the NPS extension on a server still uses a client certificate that expires within ${NPS_CERTIFICATE_WARNING_DAYS} days: Key Vault renewed it ${RENEW_DAYS_BEFORE_EXPIRY} days ahead, and no deploy has moved the extension to the renewed one`,
    action:
      'run cdktf deploy: it registers the renewed certificate on the Azure Multi-Factor Auth Client service principal and moves CLIENT_CERT_IDENTIFIER to it, one server at a time',
  },
  {
    key: 'nps-certificate-invalid',
    title: 'NPS client certificate missing or expired',
    severity: 1,
    event: 'invalid',
    why: 'the certificate CLIENT_CERT_IDENTIFIER names is gone or expired on a server: its NPS extension cannot reach Microsoft Entra MFA, and RADIUS sign-ins through it fail',
    action:
      'the alert names the server (Computer): run cdktf deploy; check the Key Vault extension on that server (key-vault-certificates) and the certificate in Key Vault',
  },
];

/** Where the certificate alerts go. */
export interface NpsCertificateAlertsProps {
  readonly workspaceId: string;
  readonly namePrefix: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Record<string, string>;
  readonly actionGroupId?: string;
}

/** The workspace query of one certificate event: the rows of the `Event` table the agents send. */
export function npsCertificateEventQuery(event: keyof typeof NPS_CERTIFICATE_EVENTS): string {
  return `Event | where Source == "${NPS_EVENT_SOURCE}" and EventID == ${NPS_CERTIFICATE_EVENTS[event].id} | project TimeGenerated, Computer, RenderedDescription`;
}

/** Scheduled query alerts on the certificate check's events, one time series per server. */
export class NpsCertificateAlerts extends Construct {
  readonly alerts: MonitorScheduledQueryRulesAlertV2[] = [];

  constructor(scope: Construct, id: string, props: NpsCertificateAlertsProps) {
    super(scope, id);
    for (const spec of NPS_CERTIFICATE_ALERTS) {
      const event = NPS_CERTIFICATE_EVENTS[spec.event];
      this.alerts.push(
        new MonitorScheduledQueryRulesAlertV2(this, spec.key, {
          name: `alert-${props.namePrefix}-${spec.key}`,
          resourceGroupName: props.resourceGroupName,
          location: props.location,
          tags: props.tags,
          scopes: [props.workspaceId],
          description: `${spec.title}: ${spec.why}. Event ${event.id} of ${NPS_EVENT_SOURCE} in the Application log.`,
          severity: spec.severity,
          // The check runs hourly: a window of two hours always holds its last run.
          evaluationFrequency: 'PT1H',
          windowDuration: 'PT2H',
          autoMitigationEnabled: true,
          criteria: [
            {
              query: npsCertificateEventQuery(spec.event),
              timeAggregationMethod: 'Count',
              operator: 'GreaterThan',
              threshold: 0,
              dimension: [{ name: 'Computer', operator: 'Include', values: ['*'] }],
            },
          ],
          action: props.actionGroupId ? { actionGroups: [props.actionGroupId] } : undefined,
        }),
      );
    }
  }
}
