import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { ITerraformDependable } from 'cdktf';
import { CERTIFICATE_KEYS, CertificateKey, Certificates, tierCertificates } from './certificates';
import { bindIisHttpsScript, LabCertificate, trustLabCertificatesScript } from './scripts/tls';
import { installCertificates, runScript } from './server-steps';
import { TierName } from './values';
import { WindowsServerPool } from './windows-server-pool';

/** Tiers whose IIS serves HTTPS itself: the Web Service SDK on the MFA servers, the portal and mobile app web service. */
export const IIS_CERTIFICATE: Readonly<Partial<Record<TierName, CertificateKey>>> = { mfa: 'webServiceSdk', portal: 'portal' };

/** The script parameter carrying a lab certificate's public part. */
const labParameter = (key: CertificateKey) => `${key[0].toUpperCase()}${key.slice(1)}Certificate`;

/** One tier to deliver certificates to. */
export interface CertificateTier {
  readonly pool: WindowsServerPool;
  readonly identity: UserAssignedIdentity;
}

/**
 * Delivers each tier's certificates (tierCertificates: the portal's reaches the proxies only where they publish it) to its servers: the tier's identity reads those certificates,
 * the Key Vault extension installs the certificates, IIS binds HTTPS to its certificate, and in labs every
 * server trusts the self-signed certificates. Returns, by server id, what a later step on that server must
 * wait for.
 */
export function deliverCertificates(
  certificates: Certificates,
  tiers: readonly CertificateTier[],
  options: { readonly portalOnProxies: boolean },
): Map<string, ITerraformDependable[]> {
  const ready = new Map<string, ITerraformDependable[]>();
  // The certificates the toolkit generated: their public parts, for every server to trust.
  const generated = CERTIFICATE_KEYS.map((k) => certificates.byKey[k]).filter((c) => c.publicCertificateBase64 !== undefined);
  const lab: LabCertificate[] = generated.map((c) => ({ dnsName: c.dnsName, parameter: labParameter(c.key) }));
  const labValues = Object.fromEntries(generated.map((c) => [labParameter(c.key), c.publicCertificateBase64!]));
  for (const { pool, identity } of tiers) {
    const tier = pool.tier;
    const keys = tierCertificates(tier, options);
    const readers = certificates.grantRead(tier, identity.principalId, keys);
    // One certificate may serve several names (a SAN certificate): observe it once.
    const secretUrls = [...new Set(keys.map((k) => certificates.byKey[k].secretUrl))];
    const iisCertificate = IIS_CERTIFICATE[tier];
    for (const server of pool.servers) {
      const extension = installCertificates(server, { secretUrls, identityClientId: identity.clientId, dependsOn: readers });
      const steps: ITerraformDependable[] = [extension];
      if (lab.length > 0) {
        steps.push(runScript(server, trustLabCertificatesScript(lab), { values: labValues, dependsOn: [extension] }));
      }
      if (iisCertificate !== undefined) {
        steps.push(runScript(server, bindIisHttpsScript(certificates.byKey[iisCertificate].dnsName), { dependsOn: steps.slice() }));
      }
      ready.set(server.id, steps);
    }
  }
  return ready;
}
