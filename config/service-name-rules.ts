import { computerName, type RuleViolation } from './rules';
import type { Environment } from './schema';
import { configuredTiers, tierSettingsOf } from './server-tiers';
import { serviceNamesOf, type ServiceNames } from './service-names';

/*
 * Service names that DNS already gives to something else:
 * - The AD domain name itself: "If a server is a DC with default NC X … then it publishes a type A record with Name
 *   field X" ([MS-ADTS] 6.3.2.4 Non-SRV Records, learn.microsoft.com/openspecs/windows_protocols/ms-adts/272a3d3b-b15a-40e1-9f20-652aabb2603d),
 *   so a service of that name would lead its clients to a domain controller.
 * - A server's own name: a domain member registers the A record of its full computer name, <computer>.<domain>,
 *   through dynamic update (learn.microsoft.com/troubleshoot/windows-server/networking/configure-dns-dynamic-updates-windows-server-2003),
 *   which would answer for the service with the server's address instead of the load balancer's. (The federation
 *   service's own rule, in ./services-rules.ts, is stricter: its first label is no server's name at all.)
 */

/** The first label of each service's default name (./service-names.ts), for the hint. */
const DEFAULT_LABELS: Readonly<Record<keyof ServiceNames, string>> = { mfaApp: 'mfaapp', portal: 'mfa', federationService: 'sts' };

/** Service names equal to the domain's name or to a server's full computer name. */
export function* serviceNameViolations(env: Environment): Generator<RuleViolation> {
  const domain = env.domain.name.toLowerCase();
  const names = serviceNamesOf(env);
  const servers = configuredTiers(env).flatMap((tier) =>
    Array.from({ length: tierSettingsOf(env, tier).count }, (_, i) => computerName(env, tier, i + 1).toLowerCase()),
  );
  for (const field of Object.keys(DEFAULT_LABELS) as (keyof ServiceNames)[]) {
    const name = names[field];
    if (name === domain) {
      yield {
        path: `dns.${field}`,
        expected: `must differ from domain.name ${domain}: every domain controller registers an A record for the domain name itself (did you mean "${DEFAULT_LABELS[field]}.${domain}"?)`,
        got: name,
      };
      continue;
    }
    const server = field === 'federationService' ? undefined : servers.find((s) => `${s}.${domain}` === name);
    if (server !== undefined) {
      yield {
        path: `dns.${field}`,
        expected: `must not be a server's own name: Windows registers ${name} (its computer name and domain.name) for the server ${server}, with the server's address, not the load balancer's (did you mean "${DEFAULT_LABELS[field]}.${domain}"?)`,
        got: name,
      };
    }
  }
}
