import type { RuleViolation } from './rules';
import type { Environment } from './schema';

/*
 * The static RPC port of PhoneFactor.pfdata replication (mfa.replicationPort) must be free on every MFA server: the
 * design's own ports (HTTPS, the health probe) and the ports Windows itself listens on, on every server, as
 * "Service overview and network port requirements for Windows" lists them
 * (learn.microsoft.com/troubleshoot/windows-server/networking/service-overview-and-network-port-requirements):
 * the RPC endpoint mapper, NetBIOS, SMB, Remote Desktop and WinRM. (The MFA servers are members, not domain
 * controllers: Kerberos and LDAP do not listen on them.)
 */

const WINDOWS_PORTS = 'Windows listens there on every server';

/** TCP ports the replication port must not take, and what already uses them. */
export const TAKEN_PORTS: ReadonlyMap<number, string> = new Map([
  [80, 'the health probe'],
  [443, 'HTTPS'],
  [135, `the RPC endpoint mapper: ${WINDOWS_PORTS}`],
  [139, `NetBIOS session service: ${WINDOWS_PORTS}`],
  [445, `SMB: ${WINDOWS_PORTS}`],
  [3389, 'RDP'],
  [5985, `WinRM over HTTP: ${WINDOWS_PORTS}`],
  [5986, `WinRM over HTTPS: the listener Windows Remote Management takes for HTTPS`],
]);

/** A replication port another service already holds. */
export function* portViolations(env: Environment): Generator<RuleViolation> {
  const port = env.mfa.replicationPort;
  const taken = TAKEN_PORTS.get(port);
  if (taken !== undefined) yield { path: 'mfa.replicationPort', expected: `must differ from ${port} (${taken})`, got: port };
}
