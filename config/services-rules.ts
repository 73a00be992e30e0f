import { egressViolations } from './egress-rules';
import { receiverViolations } from './receivers';
import { computerName, RuleViolation } from './rules';
import type { Environment } from './schema';
import { configuredTiers, tierSettingsOf } from './server-tiers';
import { serviceNamesOf } from './service-names';

/**
 * Whole-topology rules of the day-one blocks: egress, names, certificates, farm configuration and
 * monitoring. Yields in the order a reader of the file meets the fields.
 */
export function* serviceViolations(env: Environment): Generator<RuleViolation> {
  yield* egressViolations(env);

  const names = serviceNamesOf(env);
  const seen = new Map<string, string>();
  for (const [field, name] of Object.entries(names)) {
    const other = seen.get(name);
    // Each name points at a different load balancer.
    if (other !== undefined) yield { path: `dns.${field}`, expected: `must differ from dns.${other} (each name points at its own load balancer)`, got: name };
    seen.set(name, field);
  }
  // A computer's account holds the HOST SPNs of its name, which cover HTTP: a federation service named like a
  // server gets its Kerberos tickets encrypted for that computer, and sign-in breaks (duplicate SPNs).
  const servers = configuredTiers(env).flatMap((tier) => Array.from({ length: tierSettingsOf(env, tier).count }, (_, i) => computerName(env, tier, i + 1)));
  const host = names.federationService.split('.')[0];
  const server = servers.find((s) => s.toLowerCase() === host);
  if (server !== undefined) {
    yield {
      path: env.dns.federationService === undefined ? 'dns' : 'dns.federationService',
      expected: `must not be a server's name: ${server} is one of the toolkit's computers, and its account already holds the service principal names of ${server}.${env.domain.name.toLowerCase()} that AD FS needs for the federation service`,
      got: names.federationService,
    };
  }

  // The servers' identities read the whole vault their certificates are in: never the one with the admin passwords.
  const certificates = env.certificates;
  if (certificates !== undefined && !certificates.selfSigned) {
    if (certificates.keyVaultResourceId === undefined) {
      yield {
        path: 'certificates.keyVaultResourceId',
        expected: 'is required: the vault that holds the CA-issued certificates (or set certificates.selfSigned with certificates.keyVaultName for a lab)',
        got: undefined,
      };
    }
    if (certificates.keyVaultName !== undefined) {
      yield { path: 'certificates.keyVaultName', expected: 'must be left out unless certificates.selfSigned is true', got: certificates.keyVaultName };
    }
  }
  if (certificates?.selfSigned) {
    if (certificates.keyVaultResourceId !== undefined) {
      yield {
        path: 'certificates.keyVaultResourceId',
        expected: 'must be left out when certificates.selfSigned is true (self-signed certificates are created in certificates.keyVaultName)',
        got: certificates.keyVaultResourceId,
      };
    }
    if (certificates.keyVaultName === undefined) {
      yield {
        path: 'certificates.keyVaultName',
        expected: 'is required with certificates.selfSigned: a globally unique name for the vault of the lab certificates',
        got: undefined,
      };
    } else if (certificates.keyVaultName.toLowerCase() === env.keyVault.name.toLowerCase()) {
      yield {
        path: 'certificates.keyVaultName',
        expected: "must differ from keyVault.name: the servers read their certificates' vault, which must not hold the admin passwords",
        got: certificates.keyVaultName,
      };
    }
    const created = new Map<string, string>();
    for (const field of ['federationService', 'portal', 'webServiceSdk'] as const) {
      // Key Vault object names ignore case.
      const key = certificates[field].toLowerCase();
      const other = created.get(key);
      if (other !== undefined)
        yield {
          path: `certificates.${field}`,
          expected: `must differ from certificates.${other} by more than letter case (each self-signed certificate has its own name, and Key Vault names ignore case)`,
          got: certificates[field],
        };
      created.set(key, field);
    }
  }

  const farm = env.adfs.farm;
  if (farm !== undefined) {
    if ((farm.groupManagedServiceAccount === undefined) === (farm.serviceAccount === undefined)) {
      yield {
        path: 'adfs.farm',
        expected: 'must name exactly one service account: groupManagedServiceAccount or serviceAccount',
        got: farm.groupManagedServiceAccount ?? farm.serviceAccount?.username ?? 'neither',
      };
    }
    if (certificates === undefined) {
      yield {
        path: 'adfs.farm',
        expected: 'needs a certificates block: the farm and the proxies use the federation service certificate from Key Vault',
        got: 'no certificates',
      };
    }
    yield* proxyTrustViolations(env, farm);
  }
  if (farm === undefined && env.wap.trustCredential !== undefined) {
    yield {
      path: 'wap.trustCredential',
      expected: 'must be left out unless adfs.farm is configured (the proxies trust the farm the toolkit creates)',
      got: env.wap.trustCredential.username,
    };
  }

  const monitoring = env.monitoring;
  yield* receiverViolations(env);
  if (monitoring.receivers.webhookAadAuth !== undefined && monitoring.receivers.webhookUrlSecret === undefined) {
    yield {
      path: 'monitoring.receivers.webhookAadAuth',
      expected: 'must be left out unless monitoring.receivers.webhookUrlSecret names the webhook it protects',
      got: 'no webhook',
    };
  }
  if (monitoring.workspace.resourceId !== undefined && monitoring.workspace.retentionDays !== undefined) {
    yield {
      path: 'monitoring.workspace.retentionDays',
      expected: 'must be left out with an existing workspace (its retention is managed where it was created)',
      got: monitoring.workspace.retentionDays,
    };
  }
}

/**
 * The proxies register with a credential of their own, never the farm admin's: they face the Internet and are not
 * domain members, and the trust credential needs only local administrator rights on the AD FS servers
 * (https://learn.microsoft.com/powershell/module/webapplicationproxy/install-webapplicationproxy,
 * -FederationServiceTrustCredential).
 */
function* proxyTrustViolations(env: Environment, farm: NonNullable<Environment['adfs']['farm']>): Generator<RuleViolation> {
  const trust = env.wap.trustCredential;
  if (trust === undefined) {
    yield {
      path: 'wap.trustCredential',
      expected:
        "is required with adfs.farm: { username, passwordSecret } of an account that is a local administrator of the AD FS servers and nothing in the domain (the proxies face the Internet: the farm admin's password never goes to them)",
      got: undefined,
    };
    return;
  }
  const admin = farm.adminCredential;
  const sameSecret =
    trust.passwordSecret.keyVaultResourceId.toLowerCase() === admin.passwordSecret.keyVaultResourceId.toLowerCase() &&
    trust.passwordSecret.secretName.toLowerCase() === admin.passwordSecret.secretName.toLowerCase();
  if (accountKey(trust.username) === accountKey(admin.username) || sameSecret) {
    yield {
      path: sameSecret ? 'wap.trustCredential.passwordSecret' : 'wap.trustCredential.username',
      expected:
        "must not be adfs.farm.adminCredential's: the proxies get a credential of their own, a local administrator of the AD FS servers and nothing in the domain",
      got: sameSecret ? trust.passwordSecret.secretName : trust.username,
    };
  }
}

/** An account name without its domain, lower case: `CONTOSO\\x` and `x@contoso.com` are one account. */
const accountKey = (username: string) => username.replace(/^.*\\/, '').replace(/@.*$/, '').toLowerCase();
