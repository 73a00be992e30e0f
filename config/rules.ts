import { addressPlanViolations } from './address-plan';
import { contains, isAssignable, overlaps, parseCidr, parseIp } from './cidr';
import { directoryViolations } from './directory-rules';
import { maintenanceViolations } from './maintenance-rules';
import { migrationViolations } from './migration-rules';
import { npsViolations } from './nps-rules';
import { portViolations } from './port-rules';
import { regionViolations } from './region-rules';
import { broadPublicRange, isPrivateRange, isRfc1918 } from './networks';
import type { Environment } from './schema';
import { imageViolations } from './image-rules';
import { intranetViolations } from './intranet-rules';
import { serviceNameViolations } from './service-name-rules';
import { serviceViolations } from './services-rules';
import { vaultViolations } from './vault-rules';
import { tagViolations } from './tags';
import { vmSizeViolations } from './vm-size-rules';
import { vnetViolations } from './vnet-rules';

/** A whole-topology rule broken: where, and what was expected. */
export interface RuleViolation {
  readonly path: string;
  readonly expected: string;
  readonly got: unknown;
}

const SUBNETS = ['mfa', 'portal', 'adfs', 'wap', 'nps', 'bastion'] as const;
const TIER_CODES = { mfa: 'mfa', portal: 'up', adfs: 'adfs', wap: 'wap', nps: 'nps' } as const;

/**
 * Windows computer name of the n-th (1-based) server of a tier. The schema bounds the environment name
 * (≤ 7 characters) and the counts (≤ 20), which keeps every name within Windows' 15 characters.
 */
export function computerName(env: Pick<Environment, 'name'>, tier: keyof typeof TIER_CODES, n: number): string {
  return `${env.name}-${TIER_CODES[tier]}${n}`;
}

/**
 * Every whole-topology rule the environment breaks: what one field cannot check alone (address plan, master
 * index, ports, names), in the order a reader of the file meets the fields.
 */
export function violationsOf(env: Environment): RuleViolation[] {
  return [...violations(env)];
}

function* violations(env: Environment): Generator<RuleViolation> {
  yield* regionViolations(env);
  yield* tagViolations(env.tags);
  const vnet = parseCidr(env.network.addressSpace)!;
  const subnets = SUBNETS.filter((s) => env.network.subnets[s] !== undefined).map((s) => ({
    name: s,
    cidr: parseCidr(env.network.subnets[s]!)!,
  }));
  for (const s of subnets) {
    if (!contains(vnet, s.cidr)) {
      yield { path: `network.subnets.${s.name}`, expected: `must lie inside network.addressSpace ${vnet.text}`, got: s.cidr.text };
    }
    if (s.cidr.bits > 29) {
      yield { path: `network.subnets.${s.name}`, expected: 'must be /29 or larger (Azure reserves 5 addresses per subnet)', got: s.cidr.text };
    }
  }
  for (let i = 0; i < subnets.length; i++) {
    for (let j = i + 1; j < subnets.length; j++) {
      if (overlaps(subnets[i].cidr, subnets[j].cidr)) {
        yield {
          path: `network.subnets.${subnets[j].name}`,
          expected: `must not overlap network.subnets.${subnets[i].name} (${subnets[i].cidr.text})`,
          got: subnets[j].cidr.text,
        };
      }
    }
  }
  const bastion = env.network.subnets.bastion;
  if (bastion !== undefined && parseCidr(bastion)!.bits > 26) {
    yield { path: 'network.subnets.bastion', expected: 'must be /26 or larger (AzureBastionSubnet)', got: bastion };
  }
  for (const [i, c] of env.network.managementCidrs.entries()) {
    if (parseCidr(c)!.bits === 0) {
      yield { path: `network.managementCidrs[${i}]`, expected: 'must be an admin network, never the whole Internet', got: c };
    }
    const broad = broadPublicRange(c);
    if (broad) yield { path: `network.managementCidrs[${i}]`, expected: `${broad}: RDP is open to it`, got: c };
    // Tier 0: a production environment's servers take RDP from the organisation's own admin networks only.
    const range = parseCidr(c)!;
    if (env.purpose === 'production' && !broad && range.bits > 0) {
      if (!isPrivateRange(range)) {
        yield {
          path: `network.managementCidrs[${i}]`,
          expected:
            'must be a private range in a production environment (RDP to tier-0 servers never comes from a public address; set purpose "lab" for a lab)',
          got: c,
        };
      } else if (range.bits < env.network.managementCidrMinPrefix) {
        yield {
          path: `network.managementCidrs[${i}]`,
          expected: `must be /${env.network.managementCidrMinPrefix} or narrower in a production environment (network.managementCidrMinPrefix): RDP to tier-0 servers comes from admin networks, not a whole site`,
          got: c,
        };
      }
    }
  }
  for (const tier of ['mfa', 'portal', 'adfs'] as const) {
    const ip = env[tier].frontendIp;
    const subnet = parseCidr(env.network.subnets[tier])!;
    if (ip !== undefined && !isAssignable(subnet, parseIp(ip)!)) {
      yield { path: `${tier}.frontendIp`, expected: `must be an assignable address of network.subnets.${tier} ${subnet.text}`, got: ip };
    }
  }
  yield* addressPlanViolations(env);
  yield* vnetViolations(env);
  for (const [i, c] of env.keyVault.allowedIpRanges.entries()) {
    // Key Vault: "IP address ranges reserved for private networks (as defined in RFC 1918) are not allowed in IP rules"
    // (learn.microsoft.com/azure/key-vault/general/network-security).
    if (isRfc1918(parseCidr(c)!))
      yield {
        path: `keyVault.allowedIpRanges[${i}]`,
        expected: 'must be a public range: the Key Vault firewall refuses RFC 1918 ranges (reach the vault from a VNet through a private endpoint instead)',
        got: c,
      };
    const broad = broadPublicRange(c);
    if (broad) yield { path: `keyVault.allowedIpRanges[${i}]`, expected: `${broad}: the vault firewall would admit it`, got: c };
  }
  yield* vmSizeViolations(env);
  yield* imageViolations(env);
  if (new Set(env.zones).size !== env.zones.length) {
    yield { path: 'zones', expected: 'must not repeat a zone', got: env.zones };
  }
  if (env.zones.length === 1) {
    yield { path: 'zones', expected: 'must list 2 or 3 zones, or none (availability sets)', got: env.zones };
  }
  if (env.mfa.masterIndex >= env.mfa.count) {
    yield { path: 'mfa.masterIndex', expected: `must be an integer from 0 to ${env.mfa.count - 1} (mfa.count is ${env.mfa.count})`, got: env.mfa.masterIndex };
  }
  if (env.adfs.primaryIndex >= env.adfs.count) {
    yield {
      path: 'adfs.primaryIndex',
      expected: `must be an integer from 0 to ${env.adfs.count - 1} (adfs.count is ${env.adfs.count})`,
      got: env.adfs.primaryIndex,
    };
  }
  yield* intranetViolations(env);
  yield* portViolations(env);
  const radius = env.mfa.radius;
  if (radius.enabled) {
    if (radius.accountingPort === radius.authenticationPort) {
      yield { path: 'mfa.radius.accountingPort', expected: 'must differ from mfa.radius.authenticationPort', got: radius.accountingPort };
    }
    if (radius.clientCidrs.length === 0) {
      yield { path: 'mfa.radius.clientCidrs', expected: 'must list at least one RADIUS client range when mfa.radius.enabled is true', got: [] };
    }
    for (const [i, c] of radius.clientCidrs.entries()) {
      if (parseCidr(c)!.bits === 0) yield { path: `mfa.radius.clientCidrs[${i}]`, expected: 'must be a RADIUS client network, not the whole Internet', got: c };
      const broad = broadPublicRange(c);
      if (broad) yield { path: `mfa.radius.clientCidrs[${i}]`, expected: `${broad}: the RADIUS ports are open to it`, got: c };
    }
  }
  yield* directoryViolations(env);
  yield* serviceViolations(env);
  yield* serviceNameViolations(env);
  yield* maintenanceViolations(env);
  yield* migrationViolations(env);
  yield* npsViolations(env);
  yield* vaultViolations(env);
}
