import { isRecord } from '../constructs/policies/stack-view';

/*
 * The values Terraform would plan for a synthesized stack's arguments, read offline: every reference
 * (`${azurerm_resource_group.rg.location}`) is replaced by what Terraform knows of it at plan time. An attribute
 * the referenced resource's configuration sets is known, and takes the value configured there (so a changed
 * `location` reaches every resource that reads it); one only Azure knows (`id`, `principal_id`) is the same
 * as before while its resource is kept, and unknown until apply when its resource is created or replaced.
 * This is Terraform's rule for planned values ("Resource Behavior": a replaced resource's computed attributes
 * are "known after apply", https://developer.hashicorp.com/terraform/language/resources/behavior).
 */

/** What Terraform shows for a value only the apply will tell. */
export const UNKNOWN = '(known after apply)';

/** One side of a plan: the arguments of its resources and data sources (`data.<type>.<name>`), by address. */
export interface EvaluationSide {
  readonly bodies: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  /**
   * The identity of a resource whose computed attributes are known on this side: the address it had before
   * (a kept resource), or undefined when it is created or replaced here (they are unknown until apply).
   */
  readonly identity: (address: string) => string | undefined;
}

/** One reference of an expression: the resource (or `data.` source) and the attribute path read from it. */
export interface Reference {
  readonly address: string;
  /** `location`, `os_disk[0].id`. */
  readonly path: string;
  /** The text matched, `azurerm_resource_group.rg.location`. */
  readonly text: string;
}

// `data.`? type . name, then attribute segments (`.id`, `[0]`). cdktf names may hold dashes, as HCL identifiers may.
const REFERENCE = /(?<![A-Za-z0-9_.-])((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])+)/g;
const parsed = new Map<string, readonly Reference[]>();

/** The references of a string, among the addresses `known` holds (other dotted words are text). */
export function referencesOf(value: string, known: { has(address: string): boolean }): Reference[] {
  if (!value.includes('${')) return [];
  let all = parsed.get(value);
  if (!all) {
    // A cache of the strings of a few syntheses; a long run (the test suite) starts it again.
    if (parsed.size > 100_000) parsed.clear();
    all = [...value.matchAll(REFERENCE)].map((m) => ({ address: m[1], path: m[2].replace(/^\./, ''), text: m[0] }));
    parsed.set(value, all);
  }
  return all.filter((r) => known.has(r.address));
}

/** Every reference in a value (strings of objects and lists included). */
export function referencesIn(value: unknown, known: { has(address: string): boolean }): Reference[] {
  if (typeof value === 'string') return referencesOf(value, known);
  if (Array.isArray(value)) return value.flatMap((v) => referencesIn(v, known));
  if (isRecord(value)) return Object.entries(value).flatMap(([k, v]) => (k === '//' ? [] : referencesIn(v, known)));
  return [];
}

/** The value at `path` (`os_disk[0].id`) of a body; `[0]` of a single block (cdktf writes it as an object) is the block. */
export function valueAt(body: unknown, path: string): unknown {
  let at: unknown = body;
  for (const part of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (at === undefined || at === null) return undefined;
    if (part.startsWith('[')) {
      const i = Number(part.slice(1, -1));
      at = Array.isArray(at) ? at[i] : i === 0 ? at : undefined;
    } else {
      at = isRecord(at) ? at[part] : Array.isArray(at) && at.length === 1 && isRecord(at[0]) ? at[0][part] : undefined;
    }
  }
  return at;
}

const MAX_DEPTH = 12;

/** What Terraform would plan for one reference on `side`. */
export function evaluateReference(side: EvaluationSide, reference: Pick<Reference, 'address' | 'path'>, depth = 0): unknown {
  const body = side.bodies.get(reference.address);
  if (!body) return `⟨${reference.address}⟩.${reference.path}`;
  const configured = valueAt(body, reference.path);
  if (configured !== undefined && depth < MAX_DEPTH) return evaluate(side, configured, depth + 1);
  const identity = side.identity(reference.address);
  return identity === undefined ? UNKNOWN : `⟨${identity}⟩.${reference.path}`;
}

/** A value with every reference replaced by what Terraform would plan for it; UNKNOWN when any part is unknown. */
export function evaluate(side: EvaluationSide, value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return evaluateString(side, value, depth);
  if (Array.isArray(value)) return value.map((v) => evaluate(side, v, depth));
  if (isRecord(value))
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== '//')
        .map(([k, v]) => [k, evaluate(side, v, depth)]),
    );
  return value;
}

function evaluateString(side: EvaluationSide, value: string, depth: number): unknown {
  const references = referencesOf(value, side.bodies);
  if (references.length === 0) return value;
  // The whole string is one reference: its value, whatever its type (a list of zones, a map).
  if (references.length === 1 && value === `\${${references[0].text}}`) return evaluateReference(side, references[0], depth);
  let text = value;
  for (const r of references) {
    const v = evaluateReference(side, r, depth);
    if (v === UNKNOWN) return UNKNOWN;
    text = text.split(r.text).join(JSON.stringify(v));
  }
  return text;
}
