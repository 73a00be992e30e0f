import { KeyVaultCertificate } from '@cdktf/provider-azurerm/lib/key-vault-certificate';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ServiceNames } from '../config/service-names';
import { createKeyVault, CreatedKeyVault, DEPLOYER_ROLES, HardenedKeyVaultProps } from './key-vault';
import { TierName } from './values';

/** The TLS certificates of the design, by the endpoint they secure. */
export type CertificateKey = 'federationService' | 'portal' | 'webServiceSdk';

/** Every certificate, in a fixed order. */
export const CERTIFICATE_KEYS: readonly CertificateKey[] = ['federationService', 'portal', 'webServiceSdk'];

/**
 * The certificates each tier's servers hold: those of the HTTPS endpoints they serve. The proxies hold the
 * federation service certificate itself, since AD FS's extended protection needs the proxy to present the
 * same key as the farm (AD FS requirements), and the portal's, whose published URL they terminate.
 */
export const TIER_CERTIFICATES: Readonly<Record<TierName, readonly CertificateKey[]>> = {
  wap: ['federationService', 'portal'],
  adfs: ['federationService'],
  portal: ['portal'],
  mfa: ['webServiceSdk'],
  // The NPS servers serve no HTTPS endpoint; their client certificate for Microsoft Entra MFA is their own.
  nps: [],
};

/**
 * The certificates a tier's servers hold in this environment: TIER_CERTIFICATES, less the portal's on the proxies
 * where they never publish the portal. `portalOnProxies`: wap.publishMfaPortalEnabled while the stage deploys the
 * portal servers; the proxies keep the certificate through the stages that unpublish the portal, so that the way
 * back publishes it again with the certificate already in their store.
 */
export function tierCertificates(tier: TierName, options: { readonly portalOnProxies: boolean }): readonly CertificateKey[] {
  return TIER_CERTIFICATES[tier].filter((key) => !(tier === 'wap' && key === 'portal' && !options.portalOnProxies));
}

/** The DNS name a certificate is issued to: the name clients use for the endpoint. */
export function certificateDnsName(key: CertificateKey, names: ServiceNames): string {
  return { federationService: names.federationService, portal: names.portal, webServiceSdk: names.mfaApp }[key];
}

/** A certificate the servers install. */
export interface TlsCertificate {
  readonly key: CertificateKey;
  /** The name it is issued to; scripts find it in LocalMachine\My by this name. */
  readonly dnsName: string;
  /** Versionless secret URL: the Key Vault extension reads the certificate with its key there and follows renewals. */
  readonly secretUrl: string;
  /** The public certificate (DER, base64) of a certificate the toolkit created; undefined for the others. */
  readonly publicCertificateBase64?: string;
}

/** Where a vault the toolkit creates for lab certificates stands, and who may reach it: the deployer's ranges and the servers' subnets. */
export type LabVaultProps = Omit<HardenedKeyVaultProps, 'deployerRoles'> & { readonly allowedSubnetIds: readonly string[] };

/** Props of the certificates: CA-issued ones in an existing vault, or self-signed ones in a vault the toolkit creates. */
export interface CertificatesProps {
  readonly names: ServiceNames;
  /** Key Vault certificate name of each certificate. */
  readonly certificateNames: Readonly<Record<CertificateKey, string>>;
  /** Where the certificates are: an existing vault (RBAC mode) holding them, or a vault to create with self-signed ones (labs). */
  readonly source: { readonly existingVaultResourceId: string } | { readonly selfSignedIn: LabVaultProps };
}

/** Role of a server identity on the vault: reads secrets, which for a certificate includes its private key. */
export const SECRETS_USER_ROLE = 'Key Vault Secrets User';

/**
 * The TLS certificates of the HTTPS endpoints, in a Key Vault that should hold nothing else. Each tier's identity may
 * read its own certificates and no other (Key Vault Secrets User on each certificate's secret): the proxies read the
 * federation service's and the portal's, never the Web Service SDK's private key. Existing certificates are only
 * referenced, and self-signed ones are generated inside Key Vault: no private key passes through Terraform.
 */
export class Certificates extends Construct {
  /** The vault the servers read. */
  readonly vaultId: string;
  readonly byKey: Readonly<Record<CertificateKey, TlsCertificate>>;
  /** The name of each certificate in the vault, which its secret bears too. */
  private readonly names: Readonly<Record<CertificateKey, string>>;
  /** The vault of the self-signed certificates, when the toolkit created one (labs): the NPS client certificates go there too. */
  readonly lab?: CreatedKeyVault;

  constructor(scope: Construct, id: string, props: CertificatesProps) {
    super(scope, id);
    this.names = props.certificateNames;
    const byKey = {} as Record<CertificateKey, TlsCertificate>;
    if ('existingVaultResourceId' in props.source) {
      this.vaultId = props.source.existingVaultResourceId;
      // /subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>: the vault may be in
      // another subscription than the deployment, so its URI is built from its name (Azure's public cloud).
      const vaultUri = `https://${props.source.existingVaultResourceId.split('/')[8]}.vault.azure.net/`;
      for (const key of CERTIFICATE_KEYS) {
        byKey[key] = { key, dnsName: certificateDnsName(key, props.names), secretUrl: `${vaultUri}secrets/${props.certificateNames[key]}` };
      }
    } else {
      const lab = createKeyVault(this, 'vault', {
        ...props.source.selfSignedIn,
        deployerRoles: { 'deployer-certificates-officer': DEPLOYER_ROLES.certificates },
      });
      this.vaultId = lab.vault.id;
      this.lab = lab;
      for (const key of CERTIFICATE_KEYS) {
        const dnsName = certificateDnsName(key, props.names);
        const certificate = selfSignedCertificate(this, key, props.certificateNames[key], dnsName, lab.vault.id, [lab.writable]);
        byKey[key] = { key, dnsName, secretUrl: certificate.versionlessSecretId, publicCertificateBase64: certificate.certificateDataBase64 };
      }
    }
    this.byKey = byKey;
  }

  /**
   * Lets a tier's identity read its certificates (`keys`, by default TIER_CERTIFICATES) and no other: Key Vault Secrets User on each
   * certificate's secret, the one the Key Vault extension fetches ("Azure RBAC for Key Vault: best practices for
   * individual keys, secrets, and certificates role assignments",
   * https://learn.microsoft.com/azure/key-vault/general/rbac-guide). A certificate that serves several names (a SAN
   * certificate) is one secret, granted once.
   */
  grantRead(tier: TierName, principalId: string, keys: readonly CertificateKey[] = TIER_CERTIFICATES[tier]): RoleAssignment[] {
    const names = [...new Set(keys.map((key) => this.names[key]))];
    return names.map((name) =>
      this.grantSecret(`${tier}-reads-${name}`, name, principalId, `The ${tier} servers read the certificate ${name} (Key Vault VM extension).`),
    );
  }

  /** Key Vault Secrets User on one secret of the vault (a certificate's), for one identity. */
  grantSecret(id: string, secretName: string, principalId: string, description: string): RoleAssignment {
    return new RoleAssignment(this, id, {
      scope: `${this.vaultId}/secrets/${secretName}`,
      roleDefinitionName: SECRETS_USER_ROLE,
      principalId,
      principalType: 'ServicePrincipal',
      description,
    });
  }
}

/** A self-signed server certificate generated in Key Vault, exportable so that the extension can install its key, renewed before expiry. */
function selfSignedCertificate(scope: Construct, id: string, name: string, dnsName: string, keyVaultId: string, dependsOn: readonly ITerraformDependable[]) {
  return new KeyVaultCertificate(scope, id, {
    name,
    keyVaultId,
    dependsOn: [...dependsOn],
    certificatePolicy: {
      issuerParameters: { name: 'Self' },
      keyProperties: { exportable: true, keySize: 2048, keyType: 'RSA', reuseKey: false },
      lifetimeAction: [{ action: { actionType: 'AutoRenew' }, trigger: { daysBeforeExpiry: 30 } }],
      secretProperties: { contentType: 'application/x-pkcs12' },
      x509CertificateProperties: {
        subject: `CN=${dnsName}`,
        subjectAlternativeNames: { dnsNames: [dnsName] },
        keyUsage: ['digitalSignature', 'keyEncipherment'],
        // Server authentication.
        extendedKeyUsage: ['1.3.6.1.5.5.7.3.1'],
        validityInMonths: 12,
      },
    },
  });
}
