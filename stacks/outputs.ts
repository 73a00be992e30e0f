import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { DnsRecord } from '../config/dns-records';
import { ServiceNames, serviceUrlsOf } from '../config/service-names';
import { EgressPlan } from '../constructs/egress';
import type { StageName } from '../constructs/migration-stages';
import type { ChaosExperiments } from '../constructs/chaos-experiments';
import { ExperimentPlan, predictionLine } from '../tools/failures/experiments';
import type { MfaHaStack } from './mfa-ha-stack';

/** What the outputs read besides the stack's constructs. */
export interface OutputInputs {
  readonly names: ServiceNames;
  readonly records: readonly DnsRecord[];
  readonly egress: EgressPlan;
  readonly keyVaultId: string;
  readonly certificateVaultId?: string;
  readonly workspaceId?: string;
  readonly alertNames: readonly string[];
  readonly stage: StageName;
}

/**
 * The outputs of an environment: addresses and names for the DNS records, the URLs the manual installation
 * steps need, the servers with their roles, and where certificates, logs and alerts are.
 */
export function addOutputs(stack: MfaHaStack, inputs: OutputInputs): void {
  const output = (scope: Construct, id: string, value: unknown, description: string) => new TerraformOutput(scope, id, { value, description });
  if (stack.mfa)
    output(
      stack,
      'mfaapp_frontend_ip',
      stack.mfa.loadBalancer.privateIpAddress,
      'mfaapp: Web Service SDK (443), replication to the master, RADIUS. Point the mfaapp DNS name here.',
    );
  if (stack.portal)
    output(stack, 'portal_frontend_ip', stack.portal.loadBalancer.privateIpAddress, 'User portal and mobile app web service load balancer (sticky).');
  output(stack, 'adfs_frontend_ip', stack.adfs.loadBalancer.privateIpAddress, 'AD FS farm load balancer.');
  if (stack.nps)
    output(
      stack,
      'nps_frontend_ip',
      stack.nps.loadBalancer.privateIpAddress,
      "The NPS servers' own RADIUS address (UDP): RADIUS clients move here before MFA Server is decommissioned.",
    );
  output(stack, 'wap_public_ip', stack.wap.publicIp.ipAddress, 'Public IP of the Web Application Proxy load balancer.');
  output(stack, 'wap_public_fqdn', stack.wap.publicIp.fqdn, 'Azure DNS name of the public IP, when a label is configured.');
  if (stack.mfa) output(stack, 'mfa_master', stack.mfa.master.name, 'The MFA server that holds the writable PhoneFactor.pfdata.');
  output(
    stack,
    'servers',
    Object.fromEntries(
      [stack.mfa, stack.portal, stack.adfs, stack.wap, stack.nps].flatMap((t) =>
        t === undefined ? [] : t.pool.servers.map((s) => [s.name, { computer_name: s.computerName, tier: t.pool.tier, role: s.role }]),
      ),
    ),
    'Every server with its tier and role.',
  );
  output(stack, 'key_vault_id', inputs.keyVaultId, 'Key Vault holding the generated admin passwords.');
  const address = (r: DnsRecord) => r.address ?? stack.wap.publicIp.ipAddress;
  output(
    stack,
    'dns_internal',
    Object.fromEntries(inputs.records.filter((r) => r.view === 'internal').map((r) => [r.fqdn, address(r)])),
    'A records for AD DNS: name -> internal load balancer (npm run dns).',
  );
  output(
    stack,
    'dns_public',
    Object.fromEntries(inputs.records.filter((r) => r.view === 'public').map((r) => [r.fqdn, address(r)])),
    'A records for the public zone: name -> WAP public IP (npm run dns).',
  );
  if (stack.mfa)
    output(
      stack,
      'service_urls',
      snake(serviceUrlsOf(inputs.names)),
      'URLs for the MFA Server installation: the Web Service SDK the portal and the AD FS adapter call, the portal, the mobile app web service.',
    );
  output(
    stack,
    'egress',
    snake(
      Object.fromEntries(
        Object.entries(inputs.egress).map(([tier, path]) => [
          tier,
          path.kind === 'natGateway' ? 'NAT gateway' : path.kind === 'outboundRule' ? 'outbound rules (zone-redundant)' : `virtual appliance ${path.nextHopIp}`,
        ]),
      ),
    ),
    'How each tier reaches what lies outside the virtual network.',
  );
  if (stack.network.egress.natPublicIp)
    output(stack, 'nat_public_ip', stack.network.egress.natPublicIp.ipAddress, 'Source address of the NAT gateway egress (for allow-lists).');
  if (stack.network.egress.egressPublicIp)
    output(
      stack,
      'egress_public_ip',
      stack.network.egress.egressPublicIp.ipAddress,
      'Source address of the outbound rules of the internal tiers (for allow-lists); the proxies leave from wap_public_ip.',
    );
  if (inputs.certificateVaultId)
    output(stack, 'certificate_key_vault_id', inputs.certificateVaultId, 'Key Vault the servers read their TLS certificates from.');
  if (inputs.workspaceId) output(stack, 'log_analytics_workspace_id', inputs.workspaceId, 'Log Analytics workspace of the server logs.');
  if (inputs.alertNames.length > 0) output(stack, 'health_alerts', [...inputs.alertNames], 'The health alerts (README: Operating it).');
  // The stage the next synth compares with: moving more than one stage at a time is refused (config/migration-rules.ts).
  if (inputs.stage !== 'mfa-server') output(stack, 'migration_stage', inputs.stage, 'Where this environment is on the way off MFA Server (migration.stage).');
}

/** camelCase keys → snake_case, as Terraform outputs are read. */
function snake(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
}

/** The Chaos Studio experiments, each with what it does and the outcome the failure model predicts (docs/availability.md). */
export function addChaosOutput(stack: MfaHaStack, chaos: ChaosExperiments, plans: readonly ExperimentPlan[]): void {
  new TerraformOutput(stack, 'chaos_experiments', {
    value: Object.fromEntries(plans.map((p) => [chaos.nameOf(p.key), { does: p.title, expect: predictionLine(p.prediction) }])),
    description:
      'The Azure Chaos Studio experiments (none starts on its own): what each does, and the outcome the failure model predicts (also its step name).',
  });
}
