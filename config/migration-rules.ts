import { stageIndex } from '../constructs/migration-stages';
import { contains, isAssignable, parseCidr, parseIp } from './cidr';
import type { RuleViolation } from './rules';
import { imageOf, type Environment } from './schema';
import { stageNameOf, stageOfEnv } from './stage';

/*
 * What the way off MFA Server needs at each stage (constructs/migration-stages.ts), checked before anything is
 * synthesized. Moving more than one stage at a time is checked against the last deployed stage, which the config
 * alone does not know (stacks/stage-history.ts).
 */

/**
 * True for a Windows Server image SKU older than 2019 (`2016-datacenter`, `2012-r2-datacenter`). AD FS chooses the
 * additional provider per group only at farm behaviour level 4, which a farm of Windows Server 2019 or later servers has; on 2016 (FBL 3) "users are prompted to select an authentication provider … until the
 * migration is complete" (https://learn.microsoft.com/entra/identity/authentication/how-to-migrate-mfa-server-to-azure-mfa,
 * https://learn.microsoft.com/windows-server/identity/ad-fs/deployment/upgrading-to-ad-fs-in-windows-server).
 */
const olderThan2019 = (sku: string) => /^(2008|2012|2016)-/i.test(sku);

/** Every rule of the migration block and the NPS tier that the environment breaks. */
export function* migrationViolations(env: Environment): Generator<RuleViolation> {
  const stage = stageOfEnv(env);
  const name = stageNameOf(env);
  const after = (other: Parameters<typeof stageIndex>[0]) => stageIndex(name) >= stageIndex(other);
  const nps = env.nps;
  const radius = env.mfa.radius;

  if ((nps === undefined) !== (env.network.subnets.nps === undefined)) {
    yield nps === undefined
      ? { path: 'network.subnets.nps', expected: 'must be left out without an nps block', got: env.network.subnets.nps }
      : { path: 'network.subnets.nps', expected: 'is required with the nps block: the NPS servers have a subnet of their own', got: undefined };
  }
  if (nps !== undefined && !stage.tiers.includes('nps')) {
    yield {
      path: 'nps',
      expected: `must be left out at migration.stage "${name}": the NPS servers are deployed from stage "parallel" on`,
      got: `${nps.count} servers`,
    };
  }
  if (nps !== undefined && env.network.subnets.nps !== undefined && nps.frontendIp !== undefined) {
    const subnet = parseCidr(env.network.subnets.nps)!;
    if (!isAssignable(subnet, parseIp(nps.frontendIp)!))
      yield { path: 'nps.frontendIp', expected: `must be an assignable address of network.subnets.nps ${subnet.text}`, got: nps.frontendIp };
  }
  if (nps !== undefined && nps.accountingPort === nps.authenticationPort) {
    yield { path: 'nps.accountingPort', expected: 'must differ from nps.authenticationPort', got: nps.accountingPort };
  }
  if (!after('parallel')) return;

  // From parallel on, AD FS sends MFA to the tenant, through the farm the toolkit configures.
  if (env.migration?.tenantId === undefined) {
    yield {
      path: 'migration.tenantId',
      expected: `is required at migration.stage "${name}": the Microsoft Entra tenant AD FS and the NPS extension send MFA to`,
      got: undefined,
    };
  }
  if (env.adfs.farm === undefined) {
    yield {
      path: 'adfs.farm',
      expected: `is required at migration.stage "${name}": the toolkit configures Microsoft Entra MFA on the farm it configures`,
      got: undefined,
    };
  }
  if (stage.entraMfaFor === 'groups' && (env.migration?.groupSids.length ?? 0) === 0) {
    yield {
      path: 'migration.groupSids',
      expected: 'must list at least one on-premises AD group at migration.stage "parallel": its members move to Microsoft Entra MFA first',
      got: [],
    };
  }
  const adfsSku = imageOf(env, 'adfs').sku;
  if (stage.entraMfaFor === 'groups' && olderThan2019(adfsSku)) {
    yield {
      path: env.adfs.image === undefined ? 'image.sku' : 'adfs.image.sku',
      expected:
        'must be Windows Server 2019 or later for the AD FS servers at migration.stage "parallel": choosing the provider by group needs farm behaviour level 4, and a 2016 farm prompts every user to pick one (upgrade the farm first)',
      got: adfsSku,
    };
  }
  if (radius.enabled && nps === undefined) {
    yield {
      path: 'nps',
      expected: `is required at migration.stage "${name}" while mfa.radius.enabled is true: the NPS servers with the NPS extension take RADIUS over from MFA Server`,
      got: undefined,
    };
  }

  // From entra on, the mfaapp address sends RADIUS to the NPS servers: they must listen on its ports and know its clients.
  if (stage.mfaappRadius === 'nps' && radius.enabled && nps !== undefined) {
    for (const field of ['authenticationPort', 'accountingPort'] as const) {
      if (nps[field] !== radius[field]) {
        yield {
          path: `nps.${field}`,
          expected: `must equal mfa.radius.${field} (${radius[field]}) at migration.stage "${name}": the mfaapp address forwards that port to the NPS servers`,
          got: nps[field],
        };
      }
    }
    const known = nps.radiusClients.map((c) => parseCidr(c.address.includes('/') ? c.address : `${c.address}/32`)!);
    for (const [i, range] of radius.clientCidrs.entries()) {
      const cidr = parseCidr(range)!;
      if (!known.some((k) => contains(k, cidr))) {
        yield {
          path: `mfa.radius.clientCidrs[${i}]`,
          expected: `must be covered by an nps.radiusClients address at migration.stage "${name}": these clients reach the NPS servers through the mfaapp address, and NPS answers only the clients it knows`,
          got: range,
        };
      }
    }
  }
  if (stage.mfaappRadius === 'none' && radius.enabled) {
    yield {
      path: 'mfa.radius.enabled',
      expected: `must be false at migration.stage "${name}": RADIUS clients ${radius.clientCidrs.join(', ')} still target the mfaapp address, which is removed; point them at the NPS address (output nps_frontend_ip), then turn mfa.radius off`,
      got: true,
    };
  }
}
