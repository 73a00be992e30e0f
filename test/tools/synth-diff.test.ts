import { blocksOf, compareStacks, compareSyntheses, diffValues, failuresOf, StackDocument, summarizeStack } from '../../tools/synth-diff';

/** A small synthesized stack: two resources, a data source, an output and the provider pins. */
function stack(change: (doc: any) => void = () => {}): StackDocument {
  const doc: any = {
    '//': { metadata: { version: '0.21.0', stackName: 'dev' } },
    data: { azurerm_client_config: { client: { '//': { metadata: { path: 'dev/client' } } } } },
    output: { key_vault_id: { value: '${azurerm_key_vault.kv.id}' } },
    provider: { azurerm: [{ features: [{}] }] },
    resource: {
      azurerm_key_vault: { kv: { '//': { metadata: { path: 'dev/kv' } }, name: 'kv-dev', sku_name: 'standard' } },
      azurerm_lb: { mfaapp: { name: 'lb-mfaapp', frontend_ip_configuration: [{ name: 'fe', private_ip_address: '10.0.0.14' }] } },
    },
    terraform: { required_providers: { azurerm: { source: 'azurerm', version: '4.55.0' }, random: { source: 'hashicorp/random', version: '3.7.2' } } },
  };
  change(doc);
  return doc;
}

const newerBindings = (doc: any) => {
  doc['//'].metadata.version = '0.24.0';
  doc.terraform.required_providers.azurerm.version = '4.73.0';
  doc.terraform.required_providers.random.version = '3.9.1';
};

describe('comparing two syntheses of a stack', () => {
  test('finds nothing between identical stacks', () => {
    expect(compareStacks('dev', stack(), stack())).toEqual({ name: 'dev', resources: { before: 2, after: 2 }, added: [], removed: [], differences: [] });
  });

  test('names the blocks by their Terraform address', () => {
    expect([...blocksOf(stack()).keys()].sort()).toEqual([
      'azurerm_key_vault.kv',
      'azurerm_lb.mfaapp',
      'data.azurerm_client_config.client',
      'output.key_vault_id',
      'provider.azurerm',
      'terraform',
    ]);
    expect(
      [...blocksOf(stack())]
        .filter(([, b]) => b.stateful)
        .map(([a]) => a)
        .sort(),
    ).toEqual(['azurerm_key_vault.kv', 'azurerm_lb.mfaapp', 'data.azurerm_client_config.client']);
  });

  test('classifies the pins that newer bindings move as provider pins, and ignores cdktf metadata ("//")', () => {
    // GIVEN the same stack synthesized with newer bindings
    const c = compareStacks('dev', stack(), stack(newerBindings));
    // THEN only the two pins differ, the library version in "//" is not reported, and nothing fails
    expect(c.differences).toEqual([
      { address: 'terraform', path: 'required_providers.azurerm.version', before: '4.55.0', after: '4.73.0', kind: 'provider-pin' },
      { address: 'terraform', path: 'required_providers.random.version', before: '3.7.2', after: '3.9.1', kind: 'provider-pin' },
    ]);
    expect(failuresOf({ stacks: [c], missing: [], extra: [] })).toEqual([]);
  });

  test('lists a changed attribute with its address and path, without failing', () => {
    const c = compareStacks(
      'dev',
      stack(),
      stack((d) => (d.resource.azurerm_lb.mfaapp.frontend_ip_configuration[0].private_ip_address = '10.0.0.13')),
    );
    expect(c.differences).toEqual([
      { address: 'azurerm_lb.mfaapp', path: 'frontend_ip_configuration[0].private_ip_address', before: '10.0.0.14', after: '10.0.0.13', kind: 'attribute' },
    ]);
    expect(failuresOf({ stacks: [c], missing: [], extra: [] })).toEqual([]);
  });

  test('reports an attribute that appears or disappears as absent on one side', () => {
    const c = compareStacks(
      'dev',
      stack(),
      stack((d) => {
        delete d.resource.azurerm_key_vault.kv.sku_name;
        d.resource.azurerm_key_vault.kv.purge_protection_enabled = true;
      }),
    );
    expect(c.differences.map((d) => [d.path, d.before, d.after])).toEqual([
      ['purge_protection_enabled', undefined, true],
      ['sku_name', 'standard', undefined],
    ]);
  });

  test('compares lists of different lengths as a whole', () => {
    expect(diffValues({ rules: [1, 2] }, { rules: [1, 2, 3] })).toEqual([{ path: 'rules', before: [1, 2], after: [1, 2, 3] }]);
    expect(diffValues({ rules: [1, 2] }, { rules: [1, 3] })).toEqual([{ path: 'rules[1]', before: 2, after: 3 }]);
  });

  test('fails when a resource address changes: Terraform would destroy one and create another', () => {
    // GIVEN a resource renamed
    const c = compareStacks(
      'prod',
      stack(),
      stack((d) => {
        d.resource.azurerm_lb.mfaapp_2 = d.resource.azurerm_lb.mfaapp;
        delete d.resource.azurerm_lb.mfaapp;
      }),
    );
    // THEN the old address is removed, the new added, and neither is also listed as an attribute difference
    expect([c.removed, c.added, c.differences]).toEqual([['azurerm_lb.mfaapp'], ['azurerm_lb.mfaapp_2'], []]);
    expect(failuresOf({ stacks: [c], missing: [], extra: [] })).toEqual([
      'prod: azurerm_lb.mfaapp disappears: Terraform would destroy it',
      'prod: azurerm_lb.mfaapp_2 appears: Terraform would create it',
    ]);
  });

  test('fails when a data source address changes too', () => {
    const c = compareStacks(
      'dev',
      stack(),
      stack((d) => delete d.data),
    );
    expect(c.removed).toEqual(['data.azurerm_client_config.client']);
    expect(failuresOf({ stacks: [c], missing: [], extra: [] })).toHaveLength(1);
  });

  test('lists an output that disappears as a difference, not a failure', () => {
    const c = compareStacks(
      'dev',
      stack(),
      stack((d) => delete d.output),
    );
    expect(c.differences).toEqual([
      { address: 'output.key_vault_id', path: '', before: { value: '${azurerm_key_vault.kv.id}' }, after: undefined, kind: 'attribute' },
    ]);
    expect(failuresOf({ stacks: [c], missing: [], extra: [] })).toEqual([]);
  });

  test('fails when a stack is missing or new', () => {
    const c = compareSyntheses(
      new Map([
        ['dev', stack()],
        ['prod', stack()],
      ]),
      new Map([
        ['dev', stack()],
        ['test', stack()],
      ]),
    );
    expect(c.stacks.map((s) => s.name)).toEqual(['dev']);
    expect(failuresOf(c)).toEqual(['stack prod is not synthesized any more', 'stack test is new']);
  });
});

describe('the summary of a stack', () => {
  test('states the counts and the pins on one line', () => {
    expect(summarizeStack(compareStacks('dev', stack(), stack(newerBindings)))).toEqual([
      'dev: 2 resources; addresses: 0 added, 0 removed; 2 provider pin(s) changed (azurerm 4.55.0 → 4.73.0, random 3.7.2 → 3.9.1); 0 other value(s) differ',
    ]);
  });

  test('lists removed and added addresses and other differences, and says how many it left out', () => {
    const c = compareStacks(
      'prod',
      stack(),
      stack((d) => {
        delete d.resource.azurerm_key_vault;
        d.resource.azurerm_lb.mfaapp.name = 'lb-2';
        d.resource.azurerm_lb.mfaapp.sku = 'Standard';
      }),
    );
    expect(summarizeStack(c, 1)).toEqual([
      'prod: 2 → 1 resources; addresses: 0 added, 1 removed; 0 provider pin(s) changed; 2 other value(s) differ',
      '  - azurerm_key_vault.kv',
      '  ~ azurerm_lb.mfaapp name: "lb-mfaapp" → "lb-2"',
      '  … and 1 more',
    ]);
  });
});
