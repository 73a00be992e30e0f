import * as fs from 'fs';

/** The parts of a synthesized stack (`cdk.tf.json`) that the tools read. */
export interface StackJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly terraform?: Record<string, unknown>;
  readonly output?: Record<string, { readonly value?: unknown }>;
}

/**
 * The DNS names of the design from a stack's `dns_internal` and `dns_public` outputs: name → address, where
 * the address is a literal (an internal frontend) or a reference (the public IP).
 */
export function dnsNamesOf(stack: StackJson): { readonly view: 'internal' | 'public'; readonly fqdn: string; readonly address: string }[] {
  const read = (view: 'internal' | 'public') =>
    Object.entries((stack.output?.[`dns_${view}`]?.value ?? {}) as Record<string, unknown>).map(([fqdn, address]) => ({
      view,
      fqdn,
      address: String(address),
    }));
  return [...read('internal'), ...read('public')];
}

/** One resource of a synthesized stack: its type, its key (the Terraform name) and its arguments. */
export interface Resource {
  readonly type: string;
  readonly key: string;
  readonly args: Record<string, unknown>;
}

/** The address of a resource, `type.key`, as Terraform prints it. */
export const addressOf = (r: Pick<Resource, 'type' | 'key'>) => `${r.type}.${r.key}`;

/** Reads and parses a synthesized stack file. */
export function readStack(file: string): StackJson {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as StackJson;
}

/** Every resource of one type, sorted by key so that whatever is built from them is deterministic. */
export function resourcesOf(stack: StackJson, type: string): Resource[] {
  return Object.entries(stack.resource?.[type] ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, args]) => ({ type, key, args }));
}

/** A reference to another resource's attribute: `${azurerm_subnet.network_mfa-subnet_2C1906C5.id}`. */
export interface Reference {
  readonly type: string;
  readonly key: string;
  readonly attribute: string;
}

/** Parses a whole-string reference expression; undefined for a literal or a more complex expression. */
export function parseReference(value: unknown): Reference | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\$\{([a-z][a-z0-9_]*)\.([^.}\s]+)\.([a-z_]+)\}$/.exec(value);
  return m ? { type: m[1], key: m[2], attribute: m[3] } : undefined;
}

/**
 * The resource that `value` names: a reference to one of its attributes, or its literal `name`
 * (azurerm arguments such as `network_security_group_name` accept either). Undefined when not found.
 */
export function resolve(stack: StackJson, type: string, value: unknown): Resource | undefined {
  const ref = parseReference(value);
  if (ref) {
    if (ref.type !== type) return undefined;
    const args = stack.resource?.[type]?.[ref.key];
    return args ? { type, key: ref.key, args } : undefined;
  }
  return typeof value === 'string' ? resourcesOf(stack, type).find((r) => r.args.name === value) : undefined;
}

/** A nested block as a list: cdktf writes a single block as an object and repeated blocks as a list. */
export function blocks(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value as Record<string, unknown>];
}

/** A JSON list, or none for anything else (an argument left out). */
export const arrayOf = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);

/** A JSON object (a nested block, tags), or one without fields for anything else (an argument left out). */
export const objectOf = (value: unknown): Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** A scalar argument as text; undefined when left out. */
export const textOf = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : String(value));

/** The one-or-many pair of azurerm arguments (`x_prefix` / `x_prefixes`) as a list. */
export function oneOrMany(args: Record<string, unknown>, singular: string, plural: string): string[] {
  const many = args[plural];
  if (Array.isArray(many) && many.length > 0) return many.map(String);
  const one = args[singular];
  return one === undefined || one === null || one === '' ? [] : [String(one)];
}
