import * as fs from 'fs';
import * as ipaddr from 'ipaddr.js';
import * as path from 'path';
import { Cidr, contains, overlaps, parseCidr, parseIp } from '../config/cidr';
import { ENVIRONMENTS_DIR, LoadedEnvironment, loadEnvironments, parseEnvironment } from '../config/load';
import { PolicyError } from '../constructs/policies/pack';
import { PRIVATE_RANGES } from '../config/networks';
import { Environment, environmentSchema } from '../config/schema';
import { serviceNamesOf } from '../config/service-names';
import { vaultNameOf } from '../config/fields';
import { secretRefs } from '../config/vault-rules';
import { duplicates } from '../config/uniqueness';
import { availabilityZonesIn, closestRegion, isAzureRegion, zoneRedundantDisksIn } from '../config/regions';
import { LRS_TWIN } from '../config/region-rules';
import { timeZoneOfRegion } from '../config/region-time-zones';
import { synthesizeEnvironments, UserError } from '../stacks/synthesize';
import { knownNamesHint } from '../stacks/user-error';
import { addToPipeline } from './pipeline-environments';
import { isRecord } from '../constructs/policies/stack-view';

/*
 * A new environment file from a shipped one (`npm run new-env -- <name> [--from <env>]`): the template's values
 * with the template's name replaced by the new one wherever it stands as a word (vault names, secret names,
 * domain, DNS label, tags), an address plan moved to a block that no range of any other environment file
 * overlaps, and DNS names no other file declares. What only the user knows stays a placeholder of the shipped
 * files, and is listed (PLACEHOLDERS).
 */

/** What the user must replace, recognized by field path or value. */
export interface Placeholder {
  readonly matches: (path: string, value: string) => boolean;
  readonly what: string;
}

/** The shipped files' placeholders (README "Configuration"); the first that matches names a value. */
export const PLACEHOLDERS: readonly Placeholder[] = [
  { matches: (_, v) => v.includes('/subscriptions/00000000-0000-0000-0000-000000000000/'), what: 'the all-zero subscription: the resource id of your vault' },
  { matches: (p) => /(^|\.)secretName$/.test(p), what: 'a Key Vault secret you create' },
  { matches: (p) => /(^|\.)(username|joinUsername|groupManagedServiceAccount)$/.test(p), what: 'an account of your domain' },
  { matches: (p) => /^domain\.(name|ouPath)$/.test(p) || /^dns\./.test(p), what: 'your AD domain and DNS names' },
  { matches: (_, v) => v === '203.0.113.0/24', what: 'a documentation range: the public address Terraform runs from' },
  { matches: (p) => /^network\.dnsServers\[\d+\]$/.test(p), what: 'your domain controllers' },
  { matches: (p) => /^network\.managementCidrs\[\d+\]$/.test(p), what: 'your admin networks' },
  { matches: (p) => p === 'network.egress.nextHopIp', what: 'your hub firewall' },
  { matches: (p) => p === 'backend.storageAccountName', what: 'your state storage account' },
  { matches: (_, v) => /contoso/i.test(v), what: 'the example organization (contoso)' },
  { matches: (p) => p === 'location', what: "the template's region: new-env --location <region> sets it with its zones, disks and patching time zone" },
  { matches: (p) => p === 'maintenance.timeZone', what: "the patching windows' time zone (a Windows name): the template's" },
];

/** A new environment, not written yet. */
export interface NewEnvironment {
  readonly file: string;
  readonly text: string;
  readonly env: Environment;
  readonly addressSpace: string;
  /** Field path, value and what to put there instead. */
  readonly placeholders: readonly { readonly path: string; readonly value: string; readonly what: string }[];
}

/** The fields of an object of the input; none for a field left out. */
const fieldsOf = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});

/** Every string leaf of a JSON value with its field path (`network.dnsServers[0]`). */
function stringsOf(value: unknown, at = ''): { path: string; value: string }[] {
  if (typeof value === 'string') return [{ path: at, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsOf(v, `${at}[${i}]`));
  if (isRecord(value)) return Object.entries(value).flatMap(([k, v]) => (k === '$schema' ? [] : stringsOf(v, at ? `${at}.${k}` : k)));
  return [];
}

/** A copy of a JSON value with every string (not `$schema`) passed through `f`. */
function mapStrings(value: unknown, f: (s: string, path: string) => string, at = ''): unknown {
  if (typeof value === 'string') return f(value, at);
  if (Array.isArray(value)) return value.map((v, i) => mapStrings(v, f, `${at}[${i}]`));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === '$schema' ? v : mapStrings(v, f, at ? `${at}.${k}` : k)]));
  return value;
}

/** An address or a range as a range (`10.0.0.4` → `10.0.0.4/32`); undefined for anything else. */
const rangeOf = (text: string): Cidr | undefined => parseCidr(text) ?? (parseIp(text) ? parseCidr(`${text}/32`) : undefined);

const toInt = (ip: ipaddr.IPv4) => ip.octets.reduce((n, o) => n * 256 + o, 0);
const fromInt = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/**
 * The first block of the template's size, in the private range that holds it, that overlaps no range or
 * address of `taken`: the template's own block first, then the following ones (wrapping around).
 */
export function freeAddressSpace(template: Cidr, taken: readonly Cidr[]): Cidr {
  const within = PRIVATE_RANGES.find((r) => contains(r.cidr, template))?.cidr ?? template;
  const size = 2 ** (32 - template.bits);
  const [start, base, blocks] = [toInt(template.address), toInt(within.address), 2 ** (32 - within.bits) / size];
  for (let i = 0; i < blocks; i++) {
    const candidate = parseCidr(`${fromInt(base + ((start - base + i * size) % (blocks * size)))}/${template.bits}`)!;
    if (!taken.some((t) => overlaps(t, candidate))) return candidate;
  }
  throw new UserError(`no /${template.bits} of ${within.text} is free of the other environments' ranges`);
}

/** Moves an address or range that lies inside `from` to the same place inside `to`; others are kept. */
function shift(text: string, from: Cidr, to: Cidr): string {
  const range = rangeOf(text);
  if (!range || !contains(from, range)) return text;
  const moved = fromInt(toInt(range.address) - toInt(from.address) + toInt(to.address));
  return text.includes('/') ? `${moved}/${range.bits}` : moved;
}

/** The template's name replaced by `name` where it stands as a word, in its letter case (`DEV\\x` → `LAB\\x`). */
function rename(text: string, from: string, name: string): string {
  return text.replace(new RegExp(`(?<![A-Za-z0-9])${from}(?![A-Za-z0-9])`, 'gi'), (m) => (m === m.toUpperCase() ? name.toUpperCase() : name));
}

/** The line width of the shipped files. */
const WIDTH = 120;

/**
 * JSON as the shipped files are written: a value on one line (`{ "count": 2, "vmSize": "Standard_B2ms" }`)
 * when it fits in WIDTH, else one member a line; the top level always one member a line.
 */
export function formatJson(value: unknown, indent = '', prefix = ''): string {
  const inline = (v: unknown): string =>
    Array.isArray(v)
      ? `[${v.map(inline).join(', ')}]`
      : isRecord(v)
        ? Object.keys(v).length
          ? `{ ${Object.entries(v)
              .map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`)
              .join(', ')} }`
          : '{}'
        : JSON.stringify(v);
  const one = inline(value);
  if ((indent && indent.length + prefix.length + one.length <= WIDTH) || (!isRecord(value) && !Array.isArray(value))) return one;
  const inner = `${indent}  `;
  const members = Array.isArray(value)
    ? value.map((v) => `${inner}${formatJson(v, inner)}`)
    : Object.entries(value as Record<string, unknown>).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner, `${JSON.stringify(k)}: `)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${members.join(',\n')}\n${indent}${close}`;
}

const DNS_FIELDS = ['mfaApp', 'portal', 'federationService'] as const;

/**
 * Moves an environment input to `region` and what follows from it (config/region-rules.ts): no zones where the region
 * has none (availability sets), a locally redundant disk type where Azure offers no zone-redundant disks, and the
 * patching windows in the region's time zone (config/region-time-zones.json). Returns what to say of the time zone.
 */
function moveToRegion(input: Record<string, unknown>, region: string): string {
  if (!isAzureRegion(region))
    throw new UserError(
      `--location names no Azure region listed in config/azure-regions.json (did you mean "${closestRegion(region)}"?), got ${JSON.stringify(region)}`,
    );
  input.location = region;
  if (availabilityZonesIn(region) === false) input.zones = [];
  const twin = typeof input.osDiskType === 'string' ? LRS_TWIN[input.osDiskType] : undefined;
  if (twin !== undefined && zoneRedundantDisksIn(region) !== true) input.osDiskType = twin;
  const zone = timeZoneOfRegion(region);
  if (!zone) return `the template's: config/region-time-zones.json does not list ${region}`;
  if (input.maintenance) input.maintenance = { ...fieldsOf(input.maintenance), timeZone: zone.windows };
  return `the time zone of ${region} (${zone.location}, ${zone.iana}); set your users' own if they are elsewhere`;
}

/**
 * Builds environment `name` from the raw file of environment `from` among `existing` (the files of `dir`).
 * Refuses, with one line, a name the schema refuses, a name or file that exists, an unknown template.
 */
export function newEnvironment(
  name: string,
  options: {
    readonly dir: string;
    readonly from: string;
    readonly location?: string;
    readonly existing: readonly LoadedEnvironment[];
    readonly raw: (file: string) => unknown;
  },
): NewEnvironment {
  const valid = environmentSchema.shape.name.safeParse(name);
  if (!valid.success) throw new UserError(`${JSON.stringify(name)} is not an environment name: it must be ${valid.error.issues[0].message}`);
  const file = path.join(options.dir, `${name}.json`);
  const clash = options.existing.find((e) => e.env.name === name || path.resolve(e.file) === path.resolve(file));
  if (clash) throw new UserError(`environment "${name}" exists (${clash.file}): choose another name`);
  const template = options.existing.find((e) => e.env.name === options.from);
  if (!template)
    throw new UserError(
      `--from names no environment of ${options.dir}${knownNamesHint(
        options.from,
        options.existing.map((e) => e.env.name),
      )}`,
    );

  const others = options.existing.map((e) => options.raw(e.file));
  const taken = others.flatMap((o) => stringsOf(o).map((s) => rangeOf(s.value))).filter((c): c is Cidr => c !== undefined);
  const from = parseCidr(template.env.network.addressSpace)!;
  const to = freeAddressSpace(from, taken);
  const input = mapStrings(options.raw(template.file), (s) => shift(rename(s, options.from, name), from, to)) as Record<string, unknown>;
  input.name = name;
  const timeZone = options.location === undefined ? undefined : moveToRegion(input, options.location);
  // A new environment across zones leaves through zone-redundant outbound rules rather than a NAT gateway that one
  // zone can take down (docs/availability.md); the files of deployed environments keep what they deployed.
  const network = fieldsOf(input.network);
  const egress = { ...fieldsOf(network.egress ?? { mode: 'natGateway' }) };
  delete egress.zoneRedundant;
  if (Array.isArray(input.zones) && input.zones.length > 0) egress.zoneRedundant = true;
  if (input.network) input.network = { ...network, egress };
  // A new environment has no MFA Server yet: the alerts on what only it answers wait for the post-deployment steps.
  input.mfa = { ...fieldsOf(input.mfa), serverInstalled: false };
  // A new environment has no domain-join extension to remove: its servers join by Run Command, which reads the
  // password from Key Vault at run time, so no secret goes through the plan or the state (README, "Tier 0").
  input.domain = { ...fieldsOf(input.domain), join: 'run-command' };
  // Environments never share a secret (config/uniqueness.ts): one another file reads is this environment's own.
  const used = new Set(options.existing.flatMap((e) => secretRefs(e.env).map((r) => `${r.vault}/${r.name.toLowerCase()}`)));
  const ownSecrets = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(ownSecrets);
    if (!isRecord(value)) return;
    const ref = value as { keyVaultResourceId?: unknown; secretName?: unknown };
    if (
      typeof ref.keyVaultResourceId === 'string' &&
      typeof ref.secretName === 'string' &&
      used.has(`${vaultNameOf(ref.keyVaultResourceId)}/${ref.secretName.toLowerCase()}`)
    ) {
      ref.secretName = `${name}-${ref.secretName}`;
    }
    Object.values(value).forEach(ownSecrets);
  };
  ownSecrets(input);

  // DNS names (defaults included) no other file declares: <label>.<name>.<rest> where the renamed one is taken.
  const declared = new Set(options.existing.flatMap((e) => Object.values(serviceNamesOf(e.env))));
  const draft = serviceNamesOf(parseEnvironment(file, JSON.stringify(input)));
  for (const k of DNS_FIELDS) {
    const fqdn = draft[k];
    if (declared.has(fqdn)) input.dns = { ...fieldsOf(input.dns), [k]: fqdn.replace('.', `.${name}.`) };
  }
  const text = `${formatJson(input)}\n`;
  const env = parseEnvironment(file, text);
  const [duplicate] = duplicates([...options.existing, { file, env }]);
  if (duplicate) throw new UserError(`${duplicate.message}: edit ${template.file} or pass another --from`);
  const placeholders = stringsOf(input).flatMap((s) => {
    const p = PLACEHOLDERS.find((x) => x.matches(s.path, s.value));
    if (!p) return [];
    if (options.location !== undefined && s.path === 'location') return [{ ...s, what: 'set by --location' }];
    if (timeZone !== undefined && s.path === 'maintenance.timeZone') return [{ ...s, what: timeZone }];
    return [{ ...s, what: p.what }];
  });
  return { file, text, env, addressSpace: to.text, placeholders };
}

/**
 * `npm run new-env`: builds environment `name` from `from` among the files of `dir` (in `location`, when given),
 * synthesizes every environment with it into `outdir`, and only then writes its file; one with an azurerm backend is
 * added to azure-pipelines.yml beside `dir` (./pipeline-environments.ts). Returns what to tell the user.
 */
export function createEnvironment(
  name: string,
  options: { readonly dir?: string; readonly from: string; readonly location?: string; readonly outdir: string; readonly log?: (line: string) => void },
): string[] {
  const dir = options.dir ?? ENVIRONMENTS_DIR;
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory())
    throw new UserError(`MFA_HA_CONFIG names a file (${dir}): new-env writes into a directory of environment files`);
  const existing = loadEnvironments(dir);
  const raw = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  const created = newEnvironment(name, { dir, from: options.from, location: options.location, existing, raw });
  // Synthesize before writing: a file that does not synthesize is never left behind.
  options.log?.(`synthesizing ${[...existing.map((e) => e.env.name), name].join(', ')}...`);
  try {
    synthesizeEnvironments([...existing, { file: created.file, env: created.env }], options.outdir, (line) => options.log?.(`warning: ${line}`));
  } catch (e) {
    if (e instanceof PolicyError) throw new UserError(e.message.split('\n').join('; '));
    throw e;
  }
  fs.writeFileSync(created.file, created.text, { flag: 'wx' });
  return [
    `wrote ${created.file} from ${options.from} (${created.env.location}, address space ${created.addressSpace}) and synthesized it into ${path.join(options.outdir, 'stacks', name)}`,
    ...(created.env.backend.type === 'azurerm' ? addToPipeline(dir, name) : []),
    'Replace these placeholders before the first deployment:',
    ...created.placeholders.map((p) => `  ${p.path}: ${p.value}  (${p.what})`),
    `Then: npm run diff -- ${name}, npx cdktf diff ${name}`,
  ];
}
