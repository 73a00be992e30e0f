import { countsOf, planStack, ResourceChange, StackPlan } from '../../tools/change-plan';
import { renderPlan } from '../../tools/change-report';
import { resourceFacts } from '../../tools/provider-rules-data';
import { StackDocument } from '../../tools/synth-diff';
import { synthObject, variant } from '../helpers';

/*
 * What Terraform would do when a replaced resource is read by others, checked against Terraform's own rules:
 * the provider's ForceNew facts (data/azurerm-4.55.0-validation.json, azurerm 4.55.0) and the references of the
 * synthesized JSON. A reference to an attribute the configuration sets (`location`, `name`) takes its new value;
 * one to an attribute only Azure knows (`id`) is unknown until apply when its resource is replaced.
 */

const synth = (input: Parameters<typeof synthObject>[0]) => synthObject(input) as unknown as StackDocument;
const RG = 'azurerm_resource_group.resource-group';
const RG_LOCATION = `\${${RG}.location}`;
const RG_NAME = `\${${RG}.name}`;

/** Every managed resource of a document: address → body. */
const resourcesOf = (doc: StackDocument) =>
  new Map(
    Object.entries(doc.resource as Record<string, Record<string, any>>).flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, body]) => [`${type}.${name}`, body] as const),
    ),
  );
const typeOf = (address: string) => address.split('.')[0];
const forceNew = (address: string, attribute: string) => resourceFacts(typeOf(address))?.[attribute]?.forceNew === true;
const changeOf = (plan: StackPlan, address: string) => plan.changes.find((c) => c.address === address);
const one = (doc: StackDocument, type: string, includes: string) => [...resourcesOf(doc).keys()].find((a) => a.startsWith(`${type}.`) && a.includes(includes))!;
const causes = (c: ResourceChange | undefined) => (c?.causes ?? []).map((x) => `${x.address} ${x.path}`);

describe('changing the location of dev', () => {
  const before = synth(variant('dev'));
  const after = synth(variant('dev', (c) => (c.location = 'northeurope')));
  const plan = planStack('dev', before, after);

  test("replaces every resource whose location reads the resource group's, because the resource group is replaced", () => {
    // Terraform's rule: the resource group's location is ForceNew, and so is the location of every resource that reads it
    expect(forceNew(RG, 'location')).toBe(true);
    const readers = [...resourcesOf(after)].filter(([, body]) => body.location === RG_LOCATION).map(([a]) => a);
    expect(readers.length).toBeGreaterThan(40);
    for (const address of readers) {
      expect(forceNew(address, 'location')).toBe(true);
      expect([address, changeOf(plan, address)?.action, causes(changeOf(plan, address))]).toEqual([
        address,
        'replace',
        expect.arrayContaining([`${RG} location`]),
      ]);
    }
    // the eight servers among them
    expect(readers.filter((a) => a.startsWith('azurerm_windows_virtual_machine.'))).toHaveLength(8);
  });

  test("a resource without a location goes with the parent it lies under, or follows its replaced parent's id", () => {
    // A subnet names its VNet by name (known, unchanged): Terraform's plan leaves it, but Azure deletes it with its VNet
    const subnet = changeOf(plan, one(after, 'azurerm_subnet', 'mfa-subnet'));
    expect([subnet?.action, subnet?.deletedWith]).toEqual(['replace', one(after, 'azurerm_virtual_network', 'network')]);
    // An extension names its VM by id (unknown once the VM is replaced), and virtual_machine_id is ForceNew
    const extension = one(after, 'azurerm_virtual_machine_extension', 'mfa-1');
    expect(forceNew(extension, 'virtual_machine_id')).toBe(true);
    expect([changeOf(plan, extension)?.action, causes(changeOf(plan, extension))]).toEqual([
      'replace',
      [`${one(after, 'azurerm_windows_virtual_machine', 'mfa-1')} virtual_machine_id`],
    ]);
  });

  test('leaves nothing Azure holds in place, and counts the cascade in the summary line', () => {
    // Only the generated passwords live in the state alone, and the barrier before the hardening, which only orders
    // (the restart waits follow their hardening's Run Command: replaced, they wait again).
    const untouched = [...resourcesOf(after).keys()].filter((a) => changeOf(plan, a)?.action !== 'replace');
    expect(untouched.filter((a) => !a.startsWith('random_password.'))).toEqual([expect.stringMatching(/^time_sleep\.hardening_configured_[0-9A-F]+$/)]);
    const n = countsOf(plan);
    expect([n.create, n.update, n.destroy]).toEqual([0, 0, 0]);
    expect(n.replace).toBe(resourcesOf(after).size - untouched.length);
    expect(renderPlan({ plan, against: 'main' })[0]).toBe(
      `### dev: 0 to add, 0 to change, ${n.replace} to replace, 0 to destroy (${n.replace - 1} of them because another resource is replaced)`,
    );
  });

  test('lists the cascade under its cause', () => {
    const report = renderPlan({ plan, against: 'main' }).join('\n');
    const vm = one(after, 'azurerm_windows_virtual_machine', 'mfa-1');
    expect(report).toContain(`**Because \`${RG}\` is replaced** (${countsOf(plan).replace - 1} resources)`);
    // the VM's row: the resource group first (where the cascade starts), then its availability set, replaced with it
    const row = report.split('\n').find((l) => l.startsWith(`| replace | \`${vm}\` |`));
    expect(row).toBe(
      `| replace | \`${vm}\` | replaced because \`${RG}\` is replaced: \`location\` "westeurope" → "northeurope"; because \`${one(after, 'azurerm_availability_set', 'mfa_')}\` is replaced: \`availability_set_id\` (as deployed) → (known after apply) |`,
    );
  });
});

describe('renaming the resource group of dev', () => {
  const before = synth(variant('dev'));
  const after = synth(variant('dev', (c) => (c.resourceGroupName = 'rg-identity-mfa-dev')));
  const plan = planStack('dev', before, after);

  test('replaces every resource that reads its name from a ForceNew resource_group_name', () => {
    const readers = [...resourcesOf(after)].filter(([, body]) => body.resource_group_name === RG_NAME).map(([a]) => a);
    expect(readers.length).toBeGreaterThan(80);
    for (const address of readers) {
      expect(forceNew(address, 'resource_group_name')).toBe(true);
      expect([address, changeOf(plan, address)?.action, causes(changeOf(plan, address))]).toEqual([
        address,
        'replace',
        expect.arrayContaining([`${RG} resource_group_name`]),
      ]);
    }
    expect(changeOf(plan, RG)?.forcedBy).toEqual(['name']);
  });
});

describe('re-addressing the MFA subnet of dev', () => {
  const before = synth(variant('dev'));
  const after = synth(variant('dev', (c) => (c.network.subnets.mfa = '10.20.1.0/27')));
  const plan = planStack('dev', before, after);
  const subnet = one(after, 'azurerm_subnet', 'mfa-subnet');

  test('changes the subnet, its load balancer frontend and its rules in place: none of these attributes is ForceNew', () => {
    expect(forceNew(subnet, 'address_prefixes')).toBe(false);
    expect(forceNew('azurerm_lb.x', 'frontend_ip_configuration.private_ip_address')).toBe(false);
    expect(plan.changes.filter((c) => c.action !== 'update')).toEqual([]);
    expect(changeOf(plan, subnet)?.changes.map((d) => [d.path, d.before, d.after])).toEqual([['address_prefixes[0]', '10.20.0.0/27', '10.20.1.0/27']]);
  });

  test("says Azure refuses it: a subnet's range changes only while nothing is in it, and the MFA servers' NICs are", () => {
    const nics = [...resourcesOf(before)]
      .filter(([a, body]) => a.startsWith('azurerm_network_interface.') && JSON.stringify(body.ip_configuration).includes(subnet))
      .map(([a]) => a);
    expect(nics).toHaveLength(2);
    const refusal = changeOf(plan, subnet)?.refusals ?? [];
    expect(refusal.map((r) => [r.by, [...r.holders].sort()])).toEqual([['in use', expect.arrayContaining(nics)]]);
    expect(renderPlan({ plan, against: 'main' }).join('\n')).toMatch(/\*\*Azure would refuse\*\*: its address range changes only while no resource is in it/);
  });
});

describe('replacing a NIC', () => {
  /** The shipped environment with the NIC of mfa-1 renamed (a NIC's name is ForceNew). */
  function renamedNic(name: 'dev' | 'prod') {
    const before = synth(variant(name));
    const after = structuredClone(before) as any;
    const nic = one(after, 'azurerm_network_interface', 'mfa-1');
    after.resource.azurerm_network_interface[nic.split('.')[1]].name += '-b';
    return { before, after, nic, vm: one(after, 'azurerm_windows_virtual_machine', 'mfa-1'), plan: planStack(name, before, after) };
  }

  test('changes its VM in place (network_interface_ids is not ForceNew), because the NIC is replaced', () => {
    const { plan, nic, vm } = renamedNic('dev');
    expect([forceNew(nic, 'name'), forceNew(vm, 'network_interface_ids')]).toEqual([true, false]);
    expect([changeOf(plan, nic)?.action, changeOf(plan, nic)?.forcedBy]).toEqual(['replace', ['name']]);
    expect([changeOf(plan, vm)?.action, causes(changeOf(plan, vm))]).toEqual(['update', [`${nic} network_interface_ids[0]`]]);
    // the backend pool association reads the NIC's id from a ForceNew attribute: replaced
    const associations = plan.changes.filter(
      (c) => c.type === 'azurerm_network_interface_backend_address_pool_association' && c.causes.some((x) => x.address === nic),
    );
    expect(associations.map((c) => c.action)).toEqual(['replace', 'replace']); // mfa-1, the master, is in the pool of every server and the replication pool
  });

  test('says Azure refuses to delete a NIC its VM still holds', () => {
    const { plan, nic, vm } = renamedNic('dev');
    expect(changeOf(plan, nic)?.refusals.map((r) => [r.by, r.holders])).toEqual([['in use', [vm]]]);
  });

  test('in prod, its deletion lock is replaced with it and removed first: the lock does not stop it, the VM does', () => {
    const { plan, nic, vm } = renamedNic('prod');
    const lock = plan.changes.find((c) => c.type === 'azurerm_management_lock' && c.causes.some((x) => x.address === nic && x.path === 'scope'));
    expect(lock?.action).toBe('replace');
    expect(changeOf(plan, nic)?.refusals.map((r) => [r.by, r.holders])).toEqual([['in use', [vm]]]);
    // the VM (prevent_destroy) only changes in place
    expect(changeOf(plan, vm)?.action).toBe('update');
  });
});

describe('renaming a Key Vault', () => {
  test("the environment's vault: its secrets, its role assignments and the wait on them are replaced, no server", () => {
    const before = synth(variant('dev'));
    const after = synth(variant('dev', (c) => (c.keyVault.name = 'kv-mfaha-dev-02')));
    const plan = planStack('dev', before, after);
    const vault = one(after, 'azurerm_key_vault', 'secrets');
    expect(changeOf(plan, vault)?.forcedBy).toEqual(['name']);
    const readers = [...resourcesOf(after)].filter(([, body]) => JSON.stringify(body).includes(`\${${vault}.id}`)).map(([a]) => a);
    expect(readers.length).toBeGreaterThan(4);
    for (const address of readers) expect([address, changeOf(plan, address)?.action]).toEqual([address, 'replace']);
    // the 300 s wait for the role assignment: its triggers read the assignment's id (hashicorp/time: triggers is ForceNew)
    expect(changeOf(plan, one(after, 'time_sleep', 'secrets'))?.action).toBe('replace');
    expect(plan.changes.filter((c) => c.server)).toEqual([]);
  });

  test("the certificate vault: the certificates are replaced, and the VMs' Key Vault extensions change in place to follow them", () => {
    const before = synth(variant('dev'));
    const after = synth(variant('dev', (c) => (c.certificates.keyVaultName = 'kv-mfaha-dev-tls2')));
    const plan = planStack('dev', before, after);
    const certificates = plan.changes.filter((c) => c.type === 'azurerm_key_vault_certificate');
    expect(certificates.map((c) => c.action)).toEqual(['replace', 'replace', 'replace']);
    const extensions = plan.changes.filter(
      (c) => c.type === 'azurerm_virtual_machine_extension' && c.causes.some((x) => x.address.startsWith('azurerm_key_vault_certificate.')),
    );
    expect(extensions.length).toBe(8);
    for (const e of extensions) expect([e.action, [...new Set(e.causes.map((x) => x.path))]]).toEqual(['update', ['settings']]);
    expect(plan.changes.filter((c) => c.server && c.action !== 'update')).toEqual([]);
  });
});

describe('changing the location of prod', () => {
  const before = synth(variant('prod'));
  const after = synth(variant('prod', (c) => (c.location = 'northeurope')));
  const plan = planStack('prod', before, after);

  test('Terraform would refuse: the MFA and AD FS servers have prevent_destroy', () => {
    const refused = plan.changes.filter((c) => c.refusals.some((r) => r.by === 'prevent_destroy')).map((c) => c.address);
    const protectedVms = [...resourcesOf(after)].filter(([, body]) => body.lifecycle?.prevent_destroy === true).map(([a]) => a);
    expect(protectedVms).toHaveLength(6);
    expect(refused.sort()).toEqual(protectedVms.sort());
    const report = renderPlan({ plan, against: 'main' });
    expect(report[0]).toMatch(/; Terraform would refuse this plan$/);
    expect(report.join('\n')).toContain(`- **replace** \`${protectedVms[0]}\` (server): replaced because \`${RG}\` is replaced`);
    expect(report.join('\n')).toMatch(/\*\*Terraform would refuse\*\*: `prevent_destroy` is set/);
  });
});

describe('CanNotDelete locks', () => {
  /** prod with its locks on the VMs themselves (as before they moved to the OS disks and NICs). */
  const lockedOnVms = (doc: StackDocument) => {
    const copy = structuredClone(doc) as any;
    for (const lock of Object.values<any>(copy.resource.azurerm_management_lock)) lock.scope = lock.scope.replace('.os_disk[0].id}', '.id}');
    return copy as StackDocument;
  };
  const [on, off] = [synth(variant('prod')), synth(variant('prod', (c) => delete c.monitoring))];

  test('a lock the plan keeps refuses the deletion of what it covers: turning monitoring off under VM locks', () => {
    const plan = planStack('prod', lockedOnVms(on), lockedOnVms(off));
    const refused = plan.changes.filter((c) => c.refusals.some((r) => r.by === 'lock'));
    // the agents and data collection rule associations of the 6 locked servers, as test/stable-addresses.test.ts counts them
    expect(refused.filter((c) => c.type === 'azurerm_monitor_data_collection_rule_association')).toHaveLength(6 + 3);
    expect(refused.filter((c) => c.type === 'azurerm_virtual_machine_extension')).toHaveLength(6);
    expect(refused.every((c) => c.action === 'destroy')).toBe(true);
    expect(renderPlan({ plan, against: 'main' })[0]).toMatch(/; Azure would refuse part of it: the apply would stop$/);
  });

  test('with the locks on the OS disks and NICs, the same change deletes nothing a lock covers', () => {
    expect(planStack('prod', on, off).changes.filter((c) => c.refusals.length > 0)).toEqual([]);
  });
});
