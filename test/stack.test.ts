import azurermBindings from '@cdktf/provider-azurerm/package.json';
import * as path from 'path';
import { Testing, TerraformOutput, TerraformStack } from 'cdktf';
import { resources, stackOf, synthObject, variant } from './helpers';

describe('MFA HA stack', () => {
  test('keeps state locally by default, beside cdktf.out (which synth rewrites), by a path the same on every machine', () => {
    const backend = synthObject(variant('dev')).terraform.backend;
    expect(backend).toEqual({ local: { path: '../../../terraform.dev.tfstate' } });
    // Terraform runs in the stack's folder, under npx cdktf and by hand.
    expect(path.posix.resolve('/project/cdktf.out/stacks/dev', backend.local.path)).toBe('/project/terraform.dev.tfstate');
  });

  test('keeps state in the azurerm backend, one key per environment, when configured', () => {
    expect(synthObject(variant('prod')).terraform.backend).toEqual({
      azurerm: {
        resource_group_name: 'rg-terraform-state',
        storage_account_name: 'sttfstatecontoso',
        container_name: 'tfstate',
        key: 'mfa-ha/prod.tfstate',
        use_azuread_auth: true,
      },
    });
  });

  test('pins the azurerm provider the constructs were generated from', () => {
    // The prebuilt bindings name the provider release they were generated from (4.55.0 for 14.23.1).
    expect(azurermBindings.cdktf.provider.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(synthObject(variant('dev')).terraform.required_providers.azurerm).toEqual({ source: 'azurerm', version: azurermBindings.cdktf.provider.version });
  });

  test('outputs the frontends, the public IP, every server with its role and the Key Vault', () => {
    const out = synthObject(variant('prod', (c) => (c.mfa.masterIndex = 1))).output;
    expect(Object.keys(out)).toEqual(
      expect.arrayContaining([
        'adfs_frontend_ip',
        'key_vault_id',
        'mfa_master',
        'mfaapp_frontend_ip',
        'portal_frontend_ip',
        'servers',
        'wap_public_fqdn',
        'wap_public_ip',
      ]),
    );
    expect(out.mfaapp_frontend_ip.value).toBe('10.30.0.62');
    expect(out.mfa_master.value).toBe('vm-mfaha-prod-mfa-2');
    expect(out.servers.value['vm-mfaha-prod-mfa-2']).toEqual({ computer_name: 'prod-mfa2', tier: 'mfa', role: 'master' });
    const roles = Object.values(out.servers.value as Record<string, { tier: string; role: string }>)
      .filter((s) => s.tier === 'mfa')
      .map((s) => s.role);
    expect(roles).toEqual(['subordinate', 'master', 'subordinate']);
  });

  test('spreads every tier across the configured zones', () => {
    const vms = resources(synthObject(variant('prod')), 'azurerm_windows_virtual_machine');
    for (const tier of ['mfa', 'portal', 'adfs', 'wap']) {
      const zones = new Set(vms.filter((vm) => vm.tags.tier === tier).map((vm) => vm.zone));
      expect(zones.size).toBeGreaterThanOrEqual(2);
    }
  });

  test('deploys Bastion only when its subnet is configured', () => {
    expect(resources(synthObject(variant('prod')), 'azurerm_bastion_host')).toHaveLength(1);
    expect(resources(synthObject(variant('dev')), 'azurerm_bastion_host')).toHaveLength(0);
  });

  test('puts the MFA, portal and AD FS servers in the domain, never the WAP servers', () => {
    const tf = synthObject(variant('prod'));
    const joined = resources(tf, 'azurerm_virtual_machine_extension').filter((e) => e.type === 'JsonADDomainExtension');
    const vmOf = (e: any) =>
      resources(tf, 'azurerm_windows_virtual_machine').find((vm) => e.virtual_machine_id.includes(`${vm.name.replace('vm-mfaha-prod-', '')}_`));
    expect(joined.map((e) => vmOf(e)?.tags.tier).sort()).toEqual(['adfs', 'adfs', 'adfs', 'mfa', 'mfa', 'mfa', 'portal', 'portal']);
  });

  test.each(['dev', 'prod'] as const)('lets every load-balancer probe of %s through the NSG of the probed tier', (name) => {
    const tf = synthObject(variant(name));
    const allowedFromProbes = (tier: string) =>
      resources(tf, 'azurerm_network_security_rule')
        .filter((r) => r.network_security_group_name.includes(`${tier}-nsg`) && r.source_address_prefix === 'AzureLoadBalancer' && r.access === 'Allow')
        .flatMap((r) => r.destination_port_ranges ?? [r.destination_port_range]);
    const probes = resources(tf, 'azurerm_lb_probe');
    expect(probes.length).toBeGreaterThanOrEqual(5);
    for (const probe of probes) {
      // lbi-mfaha-<env>-mfaapp / -portal / -adfs, lbe-mfaha-<env>-wap: the probe's load balancer names its tier.
      const lb = Object.entries(tf.resource.azurerm_lb).find(([address]) => probe.loadbalancer_id.includes(`.${address}.`))![1];
      const tier = { mfaapp: 'mfa', portal: 'portal', adfs: 'adfs', wap: 'wap' }[String(lb.name).split('-').pop()!]!;
      expect(allowedFromProbes(tier)).toContain(String(probe.port));
    }
  });

  test("outputs name -> address for every record of the design, the service URLs and each tier's egress", () => {
    const out = synthObject(variant('prod')).output;
    expect(out.dns_internal.value).toEqual({ 'mfaapp.contoso.com': '10.30.0.62', 'mfa.contoso.com': '10.30.0.126', 'sts.contoso.com': '10.30.0.190' });
    expect(out.dns_public.value).toEqual({
      'sts.contoso.com': expect.stringMatching(/^\$\{azurerm_public_ip\.wap_public-ip_[0-9A-F]+\.ip_address\}$/),
      'mfa.contoso.com': expect.stringMatching(/^\$\{azurerm_public_ip\.wap_public-ip_[0-9A-F]+\.ip_address\}$/),
    });
    expect(out.service_urls.value).toEqual({
      web_service_sdk: 'https://mfaapp.contoso.com/MultiFactorAuthWebServiceSdk/PfWsSdk.asmx',
      user_portal: 'https://mfa.contoso.com/MultiFactorAuth/',
      mobile_app_web_service: 'https://mfa.contoso.com/MultiFactorAuthMobileAppWebService/',
      federation_metadata: 'https://sts.contoso.com/FederationMetadata/2007-06/FederationMetadata.xml',
    });
    expect(out.egress.value).toEqual({
      wap: 'NAT gateway',
      adfs: 'virtual appliance 10.0.1.4',
      portal: 'virtual appliance 10.0.1.4',
      mfa: 'virtual appliance 10.0.1.4',
    });
    expect(Object.keys(synthObject(variant('dev')).output)).not.toEqual(expect.arrayContaining(['health_alerts']));
  });

  test('defaults the names of the design under the AD domain when the file names none', () => {
    const out = synthObject(variant('dev', (c) => delete c.dns)).output;
    expect(Object.keys(out.dns_internal.value).sort()).toEqual(['mfa.dev.contoso.com', 'mfaapp.dev.contoso.com', 'sts.dev.contoso.com']);
  });
});

describe('the synth writes the Terraform the policy pack judged', () => {
  test('the same JSON a fresh resolution gives, without resolving the stack again', () => {
    const stack = stackOf(variant('prod'));
    const written = Testing.synth(stack, true);
    const fresh = JSON.stringify(TerraformStack.prototype.toTerraform.call(stack));
    // Kept: the same object each time, not a new resolution.
    expect(stack.toTerraform()).toBe(stack.toTerraform());
    expect(JSON.stringify(stack.toTerraform())).toBe(fresh);
    expect(JSON.parse(written).resource.azurerm_windows_virtual_machine).toBeDefined();
  });

  test('a construct added after the pack judged the stack is resolved afresh', () => {
    const stack = stackOf(variant('dev'));
    Testing.synth(stack, true);
    new TerraformOutput(stack, 'added-later', { value: 'x' });
    expect((stack.toTerraform().output as Record<string, unknown>)['added-later']).toEqual({ value: 'x' });
  });
});
