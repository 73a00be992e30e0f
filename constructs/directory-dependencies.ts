import { Port, TierName } from './values';

/*
 * What a server needs of the domain controllers, which are the virtual network's DNS servers: name resolution for
 * every server, and for the domain members everything Active Directory asks of a member. Declared once, rendered as
 * flows of the table (constructs/traffic-flows.ts), so that each tier's NSG lets out exactly these and the
 * flows between tiers, and denies the rest of the virtual network.
 */

/** Where the ports of a domain member come from. */
export const DIRECTORY_PORTS_PAGE = {
  title: 'How to configure a firewall for Active Directory domains and trusts',
  url: 'https://learn.microsoft.com/troubleshoot/windows-server/active-directory/config-firewall-for-ad-domains-and-trusts',
} as const;
export const WINDOWS_PORTS_PAGE = {
  title: 'Service overview and network port requirements for Windows',
  url: 'https://learn.microsoft.com/troubleshoot/windows-server/networking/service-overview-and-network-port-requirements',
} as const;

/**
 * A domain member to its domain controllers, Windows Server 2008 and later: DNS, Kerberos (and its password change),
 * the RPC endpoint mapper and the dynamic RPC ports, LDAP, LDAP over TLS and the global catalog, SMB (Group Policy,
 * Netlogon), and the Windows Time service (UDP 123). TCP and UDP apart: an NSG rule has one protocol.
 */
export const DOMAIN_MEMBER_PORTS: { readonly tcp: readonly Port[]; readonly udp: readonly Port[] } = {
  tcp: [53, 88, 135, 389, 445, 464, 636, 3268, 3269].map(Port.tcp).concat(Port.tcpRange(49152, 65535)),
  udp: [53, 88, 123, 389, 464].map(Port.udp),
};

/** DNS alone, for a server that is not a domain member (the Web Application Proxies): the VNet's DNS servers. */
export const DNS_PORTS: { readonly tcp: readonly Port[]; readonly udp: readonly Port[] } = { tcp: [Port.tcp(53)], udp: [Port.udp(53)] };

/** The tiers whose servers are domain members: every tier but the proxies of the perimeter network. */
export const DOMAIN_MEMBER_TIERS: readonly TierName[] = ['mfa', 'portal', 'adfs', 'nps'];
