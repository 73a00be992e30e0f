import { frontendIpOf } from './addresses';
import type { Environment } from './schema';
import { serviceNamesOf } from './service-names';

/** An A record the design needs. */
export interface DnsRecord {
  readonly fqdn: string;
  /** `internal`: AD DNS on the domain controllers (split-brain); `public`: the Internet zone. */
  readonly view: 'internal' | 'public';
  /** The address; undefined for the WAP public IP, known once deployed (output `wap_public_ip`). */
  readonly address?: string;
  /** What answers at the address. */
  readonly target: string;
}

/**
 * The DNS records of the design. Inside, each name points at its internal load balancer: `mfaapp` (Web
 * Service SDK, replication, RADIUS), the user portal and the federation service (the proxies resolve it
 * through the domain controllers too). Outside, the federation service and, when published, the portal
 * point at the proxies' public IP. A records, not CNAMEs: AD FS requires an A record for its name.
 */
export function dnsRecordsOf(env: Environment): DnsRecord[] {
  const names = serviceNamesOf(env);
  const records: DnsRecord[] = [
    { fqdn: names.mfaApp, view: 'internal', address: frontendIpOf(env, 'mfa'), target: 'the mfaapp load balancer (Web Service SDK, replication)' },
    { fqdn: names.portal, view: 'internal', address: frontendIpOf(env, 'portal'), target: 'the user portal and mobile app web service load balancer' },
    { fqdn: names.federationService, view: 'internal', address: frontendIpOf(env, 'adfs'), target: 'the AD FS farm load balancer' },
    { fqdn: names.federationService, view: 'public', target: 'the Web Application Proxy public IP' },
  ];
  if (env.adfs.farm !== undefined && env.wap.publishMfaPortalEnabled) {
    records.push({ fqdn: names.portal, view: 'public', target: 'the Web Application Proxy public IP (portal published by WAP)' });
  }
  return records;
}

/**
 * What the internal record of the federation service does for intranet users, as `npm run dns` prints it: the
 * proxies need it (they resolve the name through the domain controllers), and it sends every intranet user who
 * resolves the name there to the AD FS load balancer, which admits only `adfs.intranetClientCidrs`. The record cannot
 * be left out when no range is given: the proxies would then reach the federation service through their own public
 * address, and where the name lies in the domain's zone, that zone would answer intranet users with no address at all.
 */
export function intranetNote(env: Environment): string[] {
  const fqdn = serviceNamesOf(env).federationService;
  const address = frontendIpOf(env, 'adfs');
  const ranges = env.adfs.intranetClientCidrs;
  if (ranges.length > 0)
    return [
      `${fqdn}: the internal record points intranet clients (${ranges.join(', ')}, adfs.intranetClientCidrs) and the proxies at the AD FS load balancer ${address}.`,
    ];
  return [
    `${fqdn}: the internal record points the proxies at the AD FS load balancer ${address}, which admits no client from outside the virtual network`,
    '(adfs.intranetClientCidrs is empty): an intranet user who resolves the name through the domain controllers cannot sign in. Add the intranet ranges.',
  ];
}
