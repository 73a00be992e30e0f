import { isIP, isIPv4 } from 'net';
import type { AttributeSchema, ProviderRules, Rule, TypeSchema } from './provider-rules-data';
import { isRecord } from '../constructs/policies/stack-view';

/**
 * Checks synthesized Terraform JSON against a provider's plan-time rules, read as data
 * (data/azurerm-4.55.0-validation.json: the azurerm provider's v4.55.0 schema and validation, with the
 * hashicorp/random appendix). The rules are never copied into code: this module only knows what each kind
 * of rule means (the file's shape and its loading: ./provider-rules-data.ts). Terraform references (`${...}`) are unknown at synth time and are skipped, as the provider
 * skips unknown values when it validates.
 */

/** A value the rules refuse, or a rule that could not be judged. */
export interface Finding {
  /** Terraform address: `azurerm_network_security_rule.x`, `data.azurerm_key_vault_secret.y`. */
  readonly address: string;
  /** Path of the attribute in the block, with indices: `ip_configuration[0].subnet_id`; empty for the block itself. */
  readonly attribute: string;
  /** The rule, in words. */
  readonly rule: string;
  /** The kind of rule (`length`, `text`, …), or `schema` for the schema itself (unknown attribute, type, item counts). */
  readonly kind: Rule['kind'] | 'schema';
  /** The value found (absent for a missing attribute). */
  readonly value?: unknown;
}

/** The result of a check. */
export interface Report {
  /** Values the provider would refuse. */
  readonly refusals: readonly Finding[];
  /** Rules that are prose the checker cannot judge (plan/apply-time notes, the cloud's location list). */
  readonly unjudged: readonly Finding[];
  /** Resource types the document uses that the rules deliberately do not cover, with why. */
  readonly notCovered: readonly { readonly address: string; readonly why: string }[];
  /** How many literal values were judged against at least one rule or type. */
  readonly judgedValues: number;
}

/** Blocks and arguments every resource takes that are Terraform's, not the provider's schema. */
const META = new Set(['//', 'count', 'depends_on', 'for_each', 'lifecycle', 'provider', 'provisioner', 'connection', 'timeouts']);

/** A Terraform expression: unknown until plan or apply. */
export const isReference = (v: unknown): boolean => typeof v === 'string' && v.includes('${');
const isSet = (v: unknown): boolean => v !== undefined && v !== null;
const show = (v: unknown) => JSON.stringify(v);

type Verdict = 'pass' | 'fail' | 'unjudged';

/** Prose rules whose meaning is plain enough to check; anything else stays unjudged. */
const PROSE: readonly { readonly text: RegExp; readonly check: (value: unknown, m: RegExpExecArray) => boolean }[] = [
  {
    text: /^at most (\d+) entries; key length <= (\d+); value length <= (\d+)$/,
    check: (v, m) =>
      isRecord(v) &&
      Object.keys(v).length <= Number(m[1]) &&
      Object.entries(v).every(([k, x]) => bytes(k) <= Number(m[2]) && (isReference(x) || bytes(String(x)) <= Number(m[3]))),
  },
  { text: /^generic Azure resource ID: /, check: (v) => isGenericResourceId(String(v)) },
  {
    text: /^valid JSON$/,
    check: (v) => {
      try {
        JSON.parse(String(v));
        return true;
      } catch {
        return false;
      }
    },
  },
  { text: /^IPv4 address$/, check: (v) => isIPv4(String(v)) },
  { text: /^IPv4 or IPv6 address$/, check: (v) => isIP(String(v)) !== 0 },
  {
    text: /^URL with (?:a host and )?scheme[^:]*?(?:in: )?((?:[a-z]+(?:, | or |))+)(?: and a host)?$/,
    check: (v, m) => isUrl(String(v), m[1].split(/, | or /)),
  },
  { text: /^RFC3339 time/, check: (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(String(v)) },
  { text: /^standard padded base64$/, check: (v) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(String(v)) },
  { text: /^empty or UUID$/, check: (v) => v === '' || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(String(v)) },
  { text: /^must not contain any of the characters: (.+)$/, check: (v, m) => !m[1].split(' ').some((c) => String(v).includes(c)) },
  { text: /^not one of \(case-sensitive\): (.+)$/, check: (v, m) => !m[1].split(', ').includes(String(v)) },
];

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

function isUrl(value: string, schemes: readonly string[]): boolean {
  try {
    const url = new URL(value);
    return url.host !== '' && schemes.includes(url.protocol.replace(/:$/, ''));
  } catch {
    return false;
  }
}

/** The provider's generic resource ID: key/value pairs of non-empty parts, with `subscriptions/{id}` among them. */
export function isGenericResourceId(value: string): boolean {
  if (!value.startsWith('/')) return false;
  const parts = value.replace(/^\//, '').replace(/\/$/, '').split('/');
  if (parts.length % 2 !== 0 || parts.some((p) => p === '')) return false;
  return parts.some((p, i) => i % 2 === 0 && p === 'subscriptions');
}

/** A resource ID of an exact format: fixed segments case-sensitive, `{…}` any non-empty segment. */
export function matchesResourceIdFormat(value: string, format: string): boolean {
  const want = format.split('/');
  const got = value.split('/');
  return want.length === got.length && want.every((w, i) => (/^\{[^}]+\}$/.test(w) ? got[i] !== '' : w === got[i]));
}

/** A rule in words, for a finding. */
export function describeRule(rule: Rule): string {
  const each = 'element' in rule && rule.element ? 'each element: ' : '';
  switch (rule.kind) {
    case 'length':
      return `${each}length ${rule.min ?? 0}..${rule.max ?? '∞'} bytes`;
    case 'enum':
      return `${each}one of (${rule.ignoreCase ? 'case-insensitive' : 'case-sensitive'}) ${rule.values.join(', ')}`;
    case 'regex':
      return `${each}${rule.negate ? 'must not match' : 'must match'} ${rule.pattern}${rule.appliesWhen ? ` (when ${rule.appliesWhen})` : ''}`;
    case 'range':
      return `${each}${rule.min ?? '-∞'}..${rule.max ?? '∞'}`;
    case 'resourceId':
      return `${each}resource ID ${rule.format}`;
    case 'anyOf':
      return `${each}any of: ${rule.of.map((alt) => alt.map(describeRule).join(' and ')).join(' | ')}`;
    case 'conflicts':
      return `conflicts with ${rule.with.join(', ')}`;
    case 'requiredWith':
      return `requires also set ${rule.with.join(', ')}`;
    case 'exactlyOneOf':
      return `exactly one of ${rule.of.join(', ')}`;
    case 'atLeastOneOf':
      return `at least one of ${rule.of.join(', ')}`;
    case 'text':
      return `${each}${rule.text}${rule.when ? ` (${rule.when}-time)` : ''}`;
  }
}

/** Judges one literal value against a value rule (not a cross-attribute one). */
export function judge(rule: Rule, value: unknown): Verdict {
  if (isReference(value)) return 'pass';
  switch (rule.kind) {
    case 'length': {
      const n = bytes(String(value));
      return n >= (rule.min ?? 0) && n <= (rule.max ?? Infinity) ? 'pass' : 'fail';
    }
    case 'enum': {
      const text = String(value);
      const same = (x: string | number) => (rule.ignoreCase ? String(x).toLowerCase() === text.toLowerCase() : String(x) === text);
      return rule.values.some(same) ? 'pass' : 'fail';
    }
    case 'regex': {
      const text = String(value);
      if (rule.appliesWhen) {
        const m = /^length (==|!=) (\d+)$/.exec(rule.appliesWhen);
        if (!m) return 'unjudged';
        if ((bytes(text) === Number(m[2])) !== (m[1] === '==')) return 'pass';
      }
      // Go RE2 and JavaScript agree on the constructs the provider's patterns use (classes, anchors, counts).
      return new RegExp(rule.pattern).test(text) !== (rule.negate ?? false) ? 'pass' : 'fail';
    }
    case 'range': {
      const n = Number(value);
      return Number.isFinite(n) && n >= (rule.min ?? -Infinity) && n <= (rule.max ?? Infinity) ? 'pass' : 'fail';
    }
    case 'resourceId':
      return matchesResourceIdFormat(String(value), rule.format) ? 'pass' : 'fail';
    case 'anyOf': {
      const verdicts = rule.of.map((alt) => {
        const each = alt.map((r) => judge(r, value));
        return each.includes('fail') ? 'fail' : each.includes('unjudged') ? 'unjudged' : 'pass';
      });
      return verdicts.includes('pass') ? 'pass' : verdicts.includes('unjudged') ? 'unjudged' : 'fail';
    }
    case 'text': {
      if (rule.when) return 'unjudged';
      for (const prose of PROSE) {
        const m = prose.text.exec(rule.text);
        if (m) return prose.check(value, m) ? 'pass' : 'fail';
      }
      return 'unjudged';
    }
    default:
      return 'pass';
  }
}

/** Whether a literal has the attribute's type, as Terraform would convert it. */
function hasType(type: string, value: unknown): boolean {
  if (isReference(value)) return true;
  const collection = /^(list|set|map)\((.+)\)$/.exec(type);
  if (collection) {
    const items = collection[1] === 'map' ? (isRecord(value) ? Object.values(value) : undefined) : Array.isArray(value) ? value : undefined;
    return items !== undefined && items.every((i) => hasType(collection[2], i));
  }
  switch (type) {
    case 'string':
      return ['string', 'number', 'boolean'].includes(typeof value);
    case 'int':
      return Number.isInteger(typeof value === 'string' ? Number(value) : value);
    case 'float':
      return Number.isFinite(typeof value === 'string' ? Number(value) : value);
    case 'bool':
      return typeof value === 'boolean' || value === 'true' || value === 'false';
    default:
      return true;
  }
}

const CROSS = new Set(['conflicts', 'requiredWith', 'exactlyOneOf', 'atLeastOneOf']);

/** The value at a provider path (`backup.0.frequency`) from the block's root; a single block may be an object. */
function valueAt(root: unknown, providerPath: string): unknown {
  let current: unknown = root;
  for (const segment of providerPath.split('.')) {
    if (current === undefined || current === null) return undefined;
    if (/^\d+$/.test(segment)) current = Array.isArray(current) ? current[Number(segment)] : segment === '0' ? current : undefined;
    else current = isRecord(current) ? current[segment] : Array.isArray(current) && isRecord(current[0]) ? current[0][segment] : undefined;
  }
  return current;
}

/** Checks one block (a resource or data source body) against its type's schema. */
function checkBlock(
  address: string,
  body: Record<string, unknown>,
  schema: TypeSchema,
  out: { refusals: Finding[]; unjudged: Finding[]; judged: number },
): void {
  const refuse = (attribute: string, rule: string, value?: unknown, kind: Finding['kind'] = 'schema') =>
    out.refusals.push({ address, attribute, rule, kind, ...(value === undefined ? {} : { value }) });
  const groupsSeen = new Set<string>();

  const walk = (node: Record<string, unknown>, schemaPrefix: string, shownPrefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      if (schemaPrefix === '' && META.has(key)) continue;
      if (key === '//') continue;
      const path = schemaPrefix ? `${schemaPrefix}.${key}` : key;
      const shown = shownPrefix ? `${shownPrefix}.${key}` : key;
      const attr = schema[path];
      if (!attr) {
        refuse(shown, 'not an argument of this resource type in the rules', value);
        continue;
      }
      if (!isSet(value)) continue;
      if (!attr.optional && !attr.required) refuse(shown, 'read-only (computed) attribute', value);
      if (attr.type.startsWith('block')) {
        if (isReference(value)) continue;
        const items = Array.isArray(value) ? value : [value];
        if (attr.minItems !== undefined && items.length < attr.minItems) refuse(shown, `at least ${attr.minItems} block(s)`, items.length);
        if (attr.maxItems !== undefined && items.length > attr.maxItems) refuse(shown, `at most ${attr.maxItems} block(s)`, items.length);
        items.forEach((item, i) => {
          if (isRecord(item)) walk(item, path, Array.isArray(value) ? `${shown}[${i}]` : shown);
          else refuse(`${shown}[${i}]`, 'a block (an object)', item);
        });
        continue;
      }
      checkValue(shown, attr, value);
    }
    // Presence rules of the attributes of this level, evaluated as the provider's schema validation does.
    for (const [path, attr] of Object.entries(schema)) {
      const parent = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
      if (parent !== schemaPrefix) continue;
      const key = path.slice(parent ? parent.length + 1 : 0);
      const shown = shownPrefix ? `${shownPrefix}.${key}` : key;
      const present = isSet(node[key]);
      if (attr.required && !present) refuse(shown, 'required', undefined);
      for (const rule of attr.rules) {
        if (rule.kind === 'exactlyOneOf' || rule.kind === 'atLeastOneOf') {
          const group = `${rule.kind}:${[...rule.of].sort().join(',')}`;
          if (groupsSeen.has(group)) continue;
          groupsSeen.add(group);
          const count = rule.of.filter((p) => isSet(valueAt(body, p))).length;
          if (rule.kind === 'exactlyOneOf' ? count !== 1 : count < 1) refuse(shown, describeRule(rule), `${count} set`, rule.kind);
        } else if (rule.kind === 'conflicts' && present) {
          // The provider ignores a conflicting attribute whose value is not known yet.
          const clash = rule.with.filter((p) => {
            const v = valueAt(body, p);
            return isSet(v) && !isReference(v);
          });
          if (clash.length > 0 && !isReference(node[key])) refuse(shown, describeRule(rule), `also set: ${clash.join(', ')}`, rule.kind);
        } else if (rule.kind === 'requiredWith' && present) {
          const missing = rule.with.filter((p) => !isSet(valueAt(body, p)));
          if (missing.length > 0) refuse(shown, describeRule(rule), `missing: ${missing.join(', ')}`, rule.kind);
        }
      }
    }
  };

  const checkValue = (shown: string, attr: AttributeSchema, value: unknown) => {
    if (isReference(value)) return;
    out.judged++;
    if (!hasType(attr.type, value)) {
      refuse(shown, `of type ${attr.type}`, value);
      return;
    }
    const elements = Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : [value];
    if (Array.isArray(value) || isRecord(value)) {
      if (attr.minItems !== undefined && elements.length < attr.minItems) refuse(shown, `at least ${attr.minItems} item(s)`, elements.length);
      if (attr.maxItems !== undefined && elements.length > attr.maxItems) refuse(shown, `at most ${attr.maxItems} item(s)`, elements.length);
    }
    for (const rule of attr.rules) {
      if (CROSS.has(rule.kind)) continue;
      const perElement = 'element' in rule && rule.element === true;
      const targets = perElement ? elements : [value];
      targets.forEach((target, i) => {
        const at = perElement && Array.isArray(value) ? `${shown}[${i}]` : shown;
        const verdict = judge(rule, target);
        if (verdict === 'fail') refuse(at, describeRule(rule), target, rule.kind);
        else if (verdict === 'unjudged') out.unjudged.push({ address, attribute: at, rule: describeRule(rule), kind: rule.kind, value: target });
      });
    }
  };

  walk(body, '', '');
}

/**
 * Checks every resource and data source of a synthesized stack against `providers`' rules. A type no
 * provider group covers is refused by name, unless `notCovered` says why it is left out.
 */
export function checkTerraform(
  doc: { readonly resource?: unknown; readonly data?: unknown },
  providers: readonly ProviderRules[],
  notCovered: Readonly<Record<string, string>> = {},
): Report {
  const out = { refusals: [] as Finding[], unjudged: [] as Finding[], judged: 0 };
  const skipped: { address: string; why: string }[] = [];
  const sections: ['resource' | 'data', 'resources' | 'data'][] = [
    ['resource', 'resources'],
    ['data', 'data'],
  ];
  for (const [section, group] of sections) {
    for (const [type, named] of Object.entries((doc[section] ?? {}) as Record<string, Record<string, Record<string, unknown>>>)) {
      const schema = providers.map((p) => p[group]?.[type]).find((s) => s !== undefined);
      for (const [name, body] of Object.entries(named)) {
        const address = `${section === 'data' ? 'data.' : ''}${type}.${name}`;
        if (schema) checkBlock(address, body, schema, out);
        else if (notCovered[type] !== undefined) skipped.push({ address, why: notCovered[type] });
        else
          out.refusals.push({
            address,
            attribute: '',
            kind: 'schema',
            rule: `resource type ${type} is not in the rules (${providers.map((p) => `${p.provider} ${p.version}`).join(', ')})`,
          });
      }
    }
  }
  return { refusals: out.refusals, unjudged: out.unjudged, notCovered: skipped, judgedValues: out.judged };
}

/**
 * Resource types of the project that the rules file does not cover, and why: the conformance test accepts
 * them by name only, so that a new type from another provider is a decision, not an accident.
 */
export const NOT_COVERED: Readonly<Record<string, string>> = {
  time_sleep: 'hashicorp/time 0.13.1 is not in the rules file (constructs/time-sleep.ts sets only create_duration and triggers)',
};

/** One line per finding: `address attribute: rule, got value`. */
export function formatFinding(f: Finding): string {
  return `${f.address}${f.attribute ? ` ${f.attribute}` : ''}: ${f.rule}${'value' in f ? `, got ${show(f.value)}` : ''}`;
}
