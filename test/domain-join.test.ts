import { evaluatePolicies, formatFinding } from '../constructs/policies/pack';
import { configErrorOf, resources, shippedInput, synthJson, synthObject, TerraformJson, variant } from './helpers';
import { synthesize } from './policies/fixtures';

/*
 * domain.join: how the servers of the domain-joined tiers (all but the proxies) join Active Directory. "extension"
 * (the default) is JsonADDomainExtension, whose protected settings carry the password Terraform read at plan time;
 * "run-command" is a Run Command whose script reads the password from Key Vault itself, with its tier's identity.
 */

const byRunCommand = (name: 'dev' | 'prod') => variant(name, (c) => (c.domain.join = 'run-command'));
const DOMAIN_JOINED = ['mfa', 'portal', 'adfs'];

/** The Terraform address every `${…}` reference in a body names (`azurerm_x.y`, `data.azurerm_x.y`). */
const referencesIn = (body: unknown): string[] => [...JSON.stringify(body).matchAll(/\$\{((?:data\.)?[a-z_]+\.[A-Za-z0-9_-]+)/g)].map((m) => m[1]);

/** Every resource, by address. */
function byAddress(tf: TerraformJson): Map<string, any> {
  const all = new Map<string, any>();
  for (const [type, named] of Object.entries(tf.resource)) for (const [name, body] of Object.entries(named)) all.set(`${type}.${name}`, body);
  return all;
}

/** Everything `address` waits for, directly or through what it waits for (depends_on and references). */
function upstreamOf(all: Map<string, any>, address: string): Set<string> {
  const seen = new Set<string>();
  const queue = [address];
  while (queue.length > 0) {
    const body = all.get(queue.pop()!);
    if (body === undefined) continue;
    for (const next of [...(body.depends_on ?? []), ...referencesIn({ ...body, depends_on: undefined })]) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

describe('domain.join', () => {
  test.each(['dev', 'prod'] as const)('absent in %s, it means "extension": the synth is byte for byte that of a file that says so', (name) => {
    expect(shippedInput(name).domain).not.toHaveProperty('join');
    expect(synthJson(variant(name, (c) => (c.domain.join = 'extension')))).toBe(synthJson(variant(name)));
  });

  test('refuses another value, in one line', () => {
    const error = configErrorOf(variant('prod', (c) => (c.domain.join = 'script')));
    expect(error).toBe('environments/test.json: domain.join must be "run-command" or "extension", got "script"');
  });
});

describe.each(['dev', 'prod'] as const)('joining the servers of %s by Run Command (domain.join "run-command")', (name) => {
  const secret = shippedInput(name).domain.joinPasswordSecret;
  const secretScope = `${secret.keyVaultResourceId}/secrets/${secret.secretName}`;
  let tf: TerraformJson;
  let text: string;
  let vms: [string, any][];
  let runCommands: [string, any][];
  beforeAll(() => {
    tf = synthObject(byRunCommand(name));
    text = JSON.stringify(tf);
    vms = Object.entries<any>(tf.resource.azurerm_windows_virtual_machine);
    runCommands = Object.entries<any>(tf.resource.azurerm_virtual_machine_run_command);
  });
  const identityOf = (tier: string) => Object.keys(tf.resource.azurerm_user_assigned_identity).find((k) => k.startsWith(`identities_${tier}_`))!;

  test('reads no join password at plan time: no data source for its secret, no JsonADDomainExtension, no password in any setting', () => {
    const reads = Object.values<any>(tf.data?.azurerm_key_vault_secret ?? {}).filter(
      (d) => d.name === secret.secretName && d.key_vault_id === secret.keyVaultResourceId,
    );
    expect(reads).toEqual([]);
    expect(resources(tf, 'azurerm_virtual_machine_extension').filter((e) => e.type === 'JsonADDomainExtension')).toEqual([]);
    expect(
      resources(tf, 'azurerm_virtual_machine_extension').filter((e) => /password/i.test(e.protected_settings ?? '') || /password/i.test(e.settings ?? '')),
    ).toEqual([]);
    expect(text).not.toMatch(/data\.azurerm_key_vault_secret\.secrets_domain-join-password/);
    // The Run Commands take no protected parameter for it: the script reads the secret itself.
    for (const [, rc] of runCommands.filter(([, rc]) => rc.name.startsWith('domain-join'))) expect(rc.protected_parameter).toBeUndefined();
  });

  test("lets each domain-joined tier's identity read exactly the join secret (<tier>-reads-domain-join-password), and the proxies' none", () => {
    const roles = Object.entries<any>(tf.resource.azurerm_role_assignment).filter(([, r]) => r.scope === secretScope);
    const tierOf = (address: string) => /_servers_(\w+)-reads-domain-join-password_/.exec(address)?.[1];
    expect(roles.map(([address]) => tierOf(address)).sort()).toEqual([...DOMAIN_JOINED].sort());
    for (const [address, role] of roles) {
      expect(role).toMatchObject({
        role_definition_name: 'Key Vault Secrets User',
        principal_id: `\${azurerm_user_assigned_identity.${identityOf(tierOf(address)!)}.principal_id}`,
        principal_type: 'ServicePrincipal',
      });
    }
  });

  test("joins every server but the proxies by a Run Command that takes its tier identity's client id, then waits for its restart", () => {
    for (const [key, vm] of vms) {
      const tier = vm.tags.tier;
      const mine = runCommands.filter(([, rc]) => rc.virtual_machine_id === `\${azurerm_windows_virtual_machine.${key}.id}`);
      const join = mine.find(([, rc]) => rc.name === 'domain-join');
      const restart = mine.find(([, rc]) => rc.name === 'domain-join-restart');
      if (tier === 'wap') {
        expect([join, restart]).toEqual([undefined, undefined]);
        continue;
      }
      expect(join?.[1].parameter).toEqual([{ name: 'IdentityClientId', value: `\${azurerm_user_assigned_identity.${identityOf(tier)}.client_id}` }]);
      expect(restart?.[1].parameter).toBeUndefined();
      // The join waits for the role that lets it read the password; the wait for the restart follows the join.
      const role = Object.keys(tf.resource.azurerm_role_assignment).find((address) =>
        address.startsWith(`${tier}_servers_${tier}-reads-domain-join-password_`),
      )!;
      expect(join![1].depends_on).toContain(`azurerm_role_assignment.${role}`);
      expect(upstreamOf(byAddress(tf), `azurerm_virtual_machine_run_command.${restart![0]}`)).toContain(`azurerm_virtual_machine_run_command.${join![0]}`);
    }
  });

  test('runs every later step of a domain-joined server after its join and restart', () => {
    const all = byAddress(tf);
    let judged = 0;
    for (const [key] of vms.filter(([, vm]) => vm.tags.tier !== 'wap')) {
      const onThisVm = [...all.entries()].filter(
        ([address, body]) =>
          /^azurerm_virtual_machine_(run_command|extension)\./.test(address) && body.virtual_machine_id === `\${azurerm_windows_virtual_machine.${key}.id}`,
      );
      const restart = onThisVm.find(([, body]) => body.name === 'domain-join-restart')![0];
      for (const [address] of onThisVm.filter(([, body]) => !body.name.startsWith('domain-join'))) {
        expect([address, upstreamOf(all, address).has(restart)]).toEqual([address, true]);
        judged++;
      }
    }
    expect(judged).toBeGreaterThan(vms.length);
  });

  test('passes the policy pack with no suppression', () => {
    const { json, inputs } = synthesize(byRunCommand(name));
    const report = evaluatePolicies(json, inputs);
    expect(report.violations.map(formatFinding)).toEqual([]);
    expect(report.suppressed).toEqual([]);
  });
});

describe('joining by Run Command an environment without certificates or monitoring', () => {
  const bare = (c: any) => {
    delete c.certificates;
    delete c.adfs.farm;
    delete c.wap.trustCredential;
    delete c.monitoring;
  };

  test('gives the domain-joined tiers an identity and the egress to Key Vault, and the proxies neither', () => {
    const tf = synthObject(
      variant('dev', (c) => {
        bare(c);
        c.domain.join = 'run-command';
      }),
    );
    const withIdentity = resources(tf, 'azurerm_windows_virtual_machine')
      .filter((vm) => vm.identity !== undefined)
      .map((vm) => vm.tags.tier);
    expect([...new Set(withIdentity)].sort()).toEqual([...DOMAIN_JOINED].sort());
    const keyVaultEgress = resources(tf, 'azurerm_network_security_rule').filter(
      (r) => r.direction === 'Outbound' && r.access === 'Allow' && r.destination_address_prefix === 'AzureKeyVault',
    );
    expect(keyVaultEgress.map((r) => r.name).sort()).toEqual(DOMAIN_JOINED.map((t) => `allow-${t}-to-key-vault`).sort());
    // The same file joined by the extension needs neither.
    const byExtension = synthObject(variant('dev', bare));
    expect(resources(byExtension, 'azurerm_windows_virtual_machine').filter((vm) => vm.identity !== undefined)).toEqual([]);
  });
});
