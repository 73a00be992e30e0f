import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { argumentChanges, bindingChanges, bindingModule, bindingSchema, blockTypesByProvider } from '../../tools/binding-schema-diff';

/** The shape of a prebuilt binding's index.d.ts: a Config interface, nested block interfaces, a class. */
const BEFORE = `
export interface BastionHostConfig extends cdktf.TerraformMetaArguments {
    /** Docs at Terraform Registry: … */
    readonly name: string;
    readonly sku?: string;
    readonly tunnelingEnabled?: boolean | cdktf.IResolvable;
    readonly ipConfiguration?: BastionHostIpConfiguration;
}
export interface BastionHostIpConfiguration {
    readonly name: string;
    readonly publicIpAddressId: string;
    readonly subnetId: string;
}
export interface SomethingElse { readonly unrelated: string; }
export declare class BastionHost extends cdktf.TerraformResource { get name(): string; }
`;

const AFTER = BEFORE.replace('readonly publicIpAddressId: string;', 'readonly publicIpAddressId?: string;')
  .replace('readonly sku?: string;', 'readonly sku?: string;\n    readonly privateOnlyEnabled?: boolean;\n    readonly zonesRequired: string[];')
  .replace('    readonly tunnelingEnabled?: boolean | cdktf.IResolvable;\n', '')
  .replace('export interface SomethingElse { readonly unrelated: string; }', 'export interface SomethingElse { readonly other: string; }');

describe('argument changes between two releases of a binding', () => {
  test('reads every interface and whether each property is optional', () => {
    expect(bindingSchema(BEFORE).get('BastionHostIpConfiguration')).toEqual(
      new Map([
        ['name', false],
        ['publicIpAddressId', false],
        ['subnetId', false],
      ]),
    );
  });

  test('names arguments as Terraform does, with the nested block first, and says how each changed', () => {
    expect(argumentChanges(bindingSchema(BEFORE), bindingSchema(AFTER), 'BastionHost')).toEqual([
      { argument: 'private_only_enabled', change: 'added (optional)' },
      { argument: 'tunneling_enabled', change: 'removed' },
      { argument: 'zones_required', change: 'added (required)' },
      { argument: 'ip_configuration.public_ip_address_id', change: 'now optional' },
    ]);
  });

  test('finds nothing between identical bindings, and ignores interfaces of other blocks', () => {
    expect(argumentChanges(bindingSchema(BEFORE), bindingSchema(BEFORE), 'BastionHost')).toEqual([]);
    expect(argumentChanges(bindingSchema(BEFORE), bindingSchema(BEFORE.replace('unrelated', 'renamed')), 'BastionHost')).toEqual([]);
  });

  test('reads two installed packages, and says undefined when one lacks the block type', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bindings-'));
    for (const [pkg, text] of [
      ['a', BEFORE],
      ['b', AFTER],
    ]) {
      fs.mkdirSync(path.join(dir, pkg, 'lib', 'bastion-host'), { recursive: true });
      fs.writeFileSync(path.join(dir, pkg, 'lib', 'bastion-host', 'index.d.ts'), text);
    }
    expect(bindingChanges(path.join(dir, 'a'), path.join(dir, 'b'), 'azurerm', 'azurerm_bastion_host')).toHaveLength(4);
    expect(bindingChanges(path.join(dir, 'a'), path.join(dir, 'b'), 'azurerm', 'azurerm_lb')).toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('where a block type lives in a prebuilt provider package', () => {
  test.each([
    ['azurerm', 'azurerm_lb_rule', 'lb-rule', 'LbRule'],
    ['azurerm', 'data.azurerm_client_config', 'data-azurerm-client-config', 'DataAzurermClientConfig'],
    ['random', 'random_password', 'password', 'Password'],
    ['azurerm', 'provider', 'provider', 'AzurermProvider'],
  ])('%s %s → lib/%s, %sConfig', (provider, address, dir, root) => {
    expect(bindingModule(provider, address)).toEqual({ dir, root });
  });

  test('each type the shipped stacks use is found in the installed bindings', () => {
    // The layout rule holds for the real packages, not only for the fixtures above.
    const pkg = path.dirname(require.resolve('@cdktf/provider-azurerm/package.json'));
    for (const address of [
      'azurerm_windows_virtual_machine',
      'azurerm_subnet_network_security_group_association',
      'data.azurerm_key_vault_secret',
      'provider',
    ]) {
      expect(bindingChanges(pkg, pkg, 'azurerm', address)).toEqual([]);
    }
  });
});

describe('the block types synthesized stacks use', () => {
  test('are grouped by provider, data sources marked, each once', () => {
    const dev = { resource: { azurerm_lb: {}, random_password: {} }, data: { azurerm_client_config: {} } };
    const prod = { resource: { azurerm_lb: {}, azurerm_bastion_host: {} } };
    expect(blockTypesByProvider([dev, prod])).toEqual(
      new Map([
        ['azurerm', ['azurerm_bastion_host', 'azurerm_lb', 'data.azurerm_client_config']],
        ['random', ['random_password']],
      ]),
    );
  });
});
