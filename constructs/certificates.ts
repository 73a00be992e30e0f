import { DataAzurermKeyVault } from '@cdktf/provider-azurerm/lib/data-azurerm-key-vault';
import { KeyVaultCertificate } from '@cdktf/provider-azurerm/lib/key-vault-certificate';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ServiceNames } from '../config/service-names';
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
};

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

/** Props of the certificates. */
export interface CertificatesProps {
  readonly names: ServiceNames;
  /** Key Vault certificate name of each certificate. */
  readonly certificateNames: Readonly<Record<CertificateKey, string>>;
  /** The environment's vault: holds the certificates unless `existingVaultResourceId` is given. */
  readonly environmentVault: { readonly id: string; readonly vaultUri: string };
  /** An existing vault in RBAC mode holding the certificates. */
  readonly existingVaultResourceId?: string;
  /** Create self-signed certificates in the environment's vault (labs). @default false */
  readonly selfSigned?: boolean;
  /** What the self-signed certificates wait for: the deployer's role on the vault. */
  readonly dependsOn?: ITerraformDependable[];
}

/** Role of a server identity on the vault: reads secrets, which for a certificate includes its private key. */
export const SECRETS_USER_ROLE = 'Key Vault Secrets User';

/**
 * The TLS certificates of the HTTPS endpoints, in Key Vault. Existing certificates are only referenced, and
 * self-signed ones are generated inside Key Vault: no private key passes through Terraform.
 */
export class Certificates extends Construct {
  /** The vault the servers read. */
  readonly vaultId: string;
  readonly byKey: Readonly<Record<CertificateKey, TlsCertificate>>;

  constructor(scope: Construct, id: string, props: CertificatesProps) {
    super(scope, id);
    let vaultUri = props.environmentVault.vaultUri;
    this.vaultId = props.environmentVault.id;
    if (props.existingVaultResourceId !== undefined) {
      // /subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>
      const parts = props.existingVaultResourceId.split('/');
      const vault = new DataAzurermKeyVault(this, 'vault', { name: parts[8], resourceGroupName: parts[4] });
      vaultUri = vault.vaultUri;
      this.vaultId = props.existingVaultResourceId;
    }
    const byKey = {} as Record<CertificateKey, TlsCertificate>;
    for (const key of CERTIFICATE_KEYS) {
      const dnsName = certificateDnsName(key, props.names);
      const name = props.certificateNames[key];
      if (props.selfSigned) {
        const certificate = selfSignedCertificate(this, key, name, dnsName, this.vaultId, props.dependsOn);
        byKey[key] = { key, dnsName, secretUrl: certificate.versionlessSecretId, publicCertificateBase64: certificate.certificateDataBase64 };
      } else {
        // The vault URI ends with a slash.
        byKey[key] = { key, dnsName, secretUrl: `${vaultUri}secrets/${name}` };
      }
    }
    this.byKey = byKey;
  }

  /**
   * Lets a tier's identity read the certificates: Key Vault Secrets User on the vault, the scope the Key
   * Vault extension documents (RBAC could go down to one secret, which the extension does not document).
   */
  grantRead(tier: TierName, principalId: string): RoleAssignment {
    return new RoleAssignment(this, `${tier}-secrets-user`, {
      scope: this.vaultId,
      roleDefinitionName: SECRETS_USER_ROLE,
      principalId,
      principalType: 'ServicePrincipal',
      description: `The ${tier} servers read their TLS certificates (Key Vault VM extension).`,
    });
  }
}

/** A self-signed server certificate generated in Key Vault, exportable so that the extension can install its key, renewed before expiry. */
function selfSignedCertificate(scope: Construct, id: string, name: string, dnsName: string, keyVaultId: string, dependsOn?: ITerraformDependable[]) {
  return new KeyVaultCertificate(scope, id, {
    name,
    keyVaultId,
    dependsOn,
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
