import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The arguments of one Terraform block type as prebuilt bindings declare them: interface (`BastionHostConfig`,
 * `BastionHostIpConfiguration`) → property → optional. The bindings are generated from the provider's schema,
 * so comparing two releases shows what the provider changed in the arguments a configuration can set.
 */
export type BindingSchema = Map<string, Map<string, boolean>>;

/** Reads the argument interfaces of a binding's `index.d.ts`. */
export function bindingSchema(dtsText: string): BindingSchema {
  const source = ts.createSourceFile('index.d.ts', dtsText, ts.ScriptTarget.Latest, false);
  const schema: BindingSchema = new Map();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    const props = new Map<string, boolean>();
    for (const m of node.members) if (ts.isPropertySignature(m) && ts.isIdentifier(m.name)) props.set(m.name.text, m.questionToken !== undefined);
    schema.set(node.name.text, props);
  });
  return schema;
}

/** One argument that differs between two releases of a binding. */
export interface ArgumentChange {
  /** `ip_configuration.public_ip_address_id`, `consistency_type`. */
  readonly argument: string;
  readonly change: 'added (optional)' | 'added (required)' | 'removed' | 'now optional' | 'now required';
}

const snake = (camel: string) => camel.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/**
 * What changed in the arguments of one block type. `root` is the name of its main interface without `Config`
 * (`BastionHost`): nested blocks are the interfaces that start with it (`BastionHostIpConfiguration` →
 * `ip_configuration`).
 */
export function argumentChanges(before: BindingSchema, after: BindingSchema, root: string): ArgumentChange[] {
  const blockOf = (iface: string) => (iface === `${root}Config` ? '' : iface.startsWith(root) ? snake(iface.slice(root.length)) : undefined);
  const changes: ArgumentChange[] = [];
  for (const iface of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const block = blockOf(iface);
    if (block === undefined) continue;
    const [a, b] = [before.get(iface) ?? new Map<string, boolean>(), after.get(iface) ?? new Map<string, boolean>()];
    for (const prop of [...new Set([...a.keys(), ...b.keys()])].sort()) {
      const argument = `${block ? `${block}.` : ''}${snake(prop)}`;
      const [was, is] = [a.get(prop), b.get(prop)];
      if (was === undefined) changes.push({ argument, change: is ? 'added (optional)' : 'added (required)' });
      else if (is === undefined) changes.push({ argument, change: 'removed' });
      else if (was !== is) changes.push({ argument, change: is ? 'now optional' : 'now required' });
    }
  }
  return changes;
}

/** Where a block type lives in a prebuilt provider package, and its main interface (`azurerm_lb_rule` → `lib/lb-rule`, `LbRule`). */
export function bindingModule(provider: string, address: string): { readonly dir: string; readonly root: string } {
  const pascal = (s: string) =>
    s
      .split(/[-_]/)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join('');
  if (address === 'provider') return { dir: 'provider', root: `${pascal(provider)}Provider` };
  const data = address.startsWith('data.');
  const type = address.replace(/^data\./, '');
  const name = type.startsWith(`${provider}_`) ? type.slice(provider.length + 1) : type;
  const dir = `${data ? `data-${provider}-` : ''}${name.replace(/_/g, '-')}`;
  return { dir, root: pascal(dir) };
}

/** The argument changes of one block type between two installed binding packages; undefined when either lacks it. */
export function bindingChanges(beforePackage: string, afterPackage: string, provider: string, address: string): ArgumentChange[] | undefined {
  const { dir, root } = bindingModule(provider, address);
  const [a, b] = [beforePackage, afterPackage].map((p) => path.join(p, 'lib', dir, 'index.d.ts'));
  if (!fs.existsSync(a) || !fs.existsSync(b)) return undefined;
  return argumentChanges(bindingSchema(fs.readFileSync(a, 'utf8')), bindingSchema(fs.readFileSync(b, 'utf8')), root);
}

/** The block types (`azurerm_lb`, `data.azurerm_client_config`) used by synthesized stacks, by provider (the part before the first `_`). */
export function blockTypesByProvider(stacks: Iterable<Readonly<Record<string, unknown>>>): Map<string, string[]> {
  const types = new Set<string>();
  for (const doc of stacks) {
    for (const [section, prefix] of [
      ['resource', ''],
      ['data', 'data.'],
    ] as const) {
      for (const type of Object.keys((doc[section] as Record<string, unknown>) ?? {})) types.add(`${prefix}${type}`);
    }
  }
  const byProvider = new Map<string, string[]>();
  for (const t of [...types].sort()) {
    const provider = t.replace(/^data\./, '').split('_')[0];
    byProvider.set(provider, [...(byProvider.get(provider) ?? []), t]);
  }
  return byProvider;
}
