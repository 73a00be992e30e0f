import { INSTALL_EXTENSION_STEP } from '../constructs/scripts/nps';
import type { RuleViolation } from './rules';
import type { Environment } from './schema';
import { stageNameOf, stageOfEnv } from './stage';

/*
 * The NPS tier's own rules (the rules every tier gets read it through ./server-tiers.ts; what a stage needs, through
 * ./migration-rules.ts):
 * - Its client certificates are kept in the lab vault when the TLS certificates are self-signed, and otherwise in a
 *   vault the toolkit creates for them, named by nps.keyVaultName (constructs/nps-client-certificates.ts).
 * - "By default, NPS sends and receives RADIUS traffic by using … UDP ports 1812, 1813, 1645, and 1646. Windows
 *   Defender Firewall on the NPS should be automatically configured with exceptions, during the installation of NPS"
 *   ("Configure Firewalls for RADIUS Traffic",
 *   https://learn.microsoft.com/windows-server/networking/technologies/nps/nps-firewalls-configure): other ports would
 *   need NPS's port settings and new firewall exceptions, which the toolkit does not make.
 * - Once RADIUS leaves the MFA servers (stage entra on), the NPS servers must take it: their health endpoint answers
 *   only with the NPS extension installed (constructs/scripts/nps-tasks.ts), so the manual installation must be done.
 */

/** The ports NPS listens on by default, authentication and accounting. */
export const NPS_DEFAULT_PORTS = { authenticationPort: [1812, 1645], accountingPort: [1813, 1646] } as const;

/** Every NPS rule the environment breaks. */
export function* npsViolations(env: Environment): Generator<RuleViolation> {
  const nps = env.nps;
  if (nps === undefined) return;
  const lab = env.certificates?.selfSigned === true;
  if (lab && nps.keyVaultName !== undefined) {
    yield {
      path: 'nps.keyVaultName',
      expected: 'must be left out when certificates.selfSigned is true (the client certificates go to certificates.keyVaultName)',
      got: nps.keyVaultName,
    };
  }
  if (!lab && nps.keyVaultName === undefined) {
    yield {
      path: 'nps.keyVaultName',
      expected: 'is required unless certificates.selfSigned: a globally unique name for the vault the toolkit creates for the NPS client certificates',
      got: undefined,
    };
  }
  if (nps.keyVaultName !== undefined && nps.keyVaultName.toLowerCase() === env.keyVault.name.toLowerCase()) {
    yield { path: 'nps.keyVaultName', expected: 'must differ from keyVault.name (the vault of the admin passwords)', got: nps.keyVaultName };
  }
  if (stageOfEnv(env).mfaappRadius !== 'mfa' && !nps.extensionInstalled) {
    yield {
      path: 'nps.extensionInstalled',
      expected: `must be true at migration.stage "${stageNameOf(env)}": RADIUS goes to the NPS servers only, which take it once the NPS extension is installed (the manual step "${INSTALL_EXTENSION_STEP}"; without it NPS would grant access on the password alone)`,
      got: false,
    };
  }
  for (const field of ['authenticationPort', 'accountingPort'] as const) {
    const ports: readonly number[] = NPS_DEFAULT_PORTS[field];
    if (!ports.includes(nps[field])) {
      yield {
        path: `nps.${field}`,
        expected: `must be ${ports.join(' or ')}: NPS listens on these by default and Windows Firewall lets only them in (Configure Firewalls for RADIUS Traffic)`,
        got: nps[field],
      };
    }
  }
}
