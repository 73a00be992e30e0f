import * as fs from 'fs';
import * as path from 'path';
import type { core } from 'zod';
import { decodeEnvironmentFile } from './encoding';
import { ConfigError, ConfigErrors, throwIfAny } from './errors';
import { closestField } from './field-hints';
import { reservedKeyPath } from './json-keys';
import { violationsOf } from './rules';
import { Environment, EnvironmentInput, environmentSchema } from './schema';
import { addressSpaceOverlaps, duplicates } from './uniqueness';
import { maintenanceWarnings } from './maintenance-rules';
import { ConfigWarning, writeWarning } from './warnings';

/** A validated environment and the file it came from. */
export interface LoadedEnvironment {
  readonly file: string;
  readonly env: Environment;
}

/** The directory of shipped environment files. */
export const ENVIRONMENTS_DIR = 'environments';
/** Generated JSON Schema, skipped when environment files are listed. */
export const SCHEMA_FILE = 'environment.schema.json';

/**
 * Loads every environment named by `target`: one JSON file, or every `*.json` of a directory
 * (the default: `environments/`). Every file is read and checked; every mistake of every file is thrown
 * at once (a ConfigErrors of one line each, ./errors.ts). Files of one directory must not share a name,
 * a Key Vault, a state key or a DNS name (./uniqueness.ts). What is worth knowing but not wrong, such as
 * two files' overlapping address spaces, goes to `warn` (default: one `warning:` line each on stderr).
 */
export function loadEnvironments(target: string = ENVIRONMENTS_DIR, warn: (warning: ConfigWarning) => void = writeWarning): LoadedEnvironment[] {
  const files = listFiles(target);
  const loaded: LoadedEnvironment[] = [];
  const errors: ConfigError[] = [];
  for (const file of files) {
    try {
      loaded.push(loadEnvironmentFile(file));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      errors.push(...mistakesOf(e));
    }
  }
  // A directory's files are environments by name; a file named by MFA_HA_CONFIG is the user's choice.
  if (files.length > 1 || files[0] !== target) errors.push(...fileNameErrors(files));
  // What a copy shares with its original is the copy's mistake: the files named after their environment come first.
  const originalsFirst = [...loaded].sort((x, y) => Number(!isNamedAfter(x)) - Number(!isNamedAfter(y)));
  errors.push(...duplicates(originalsFirst));
  throwIfAny(errors);
  [...addressSpaceOverlaps(loaded), ...loaded.flatMap((l) => maintenanceWarnings(l.file, l.env))].forEach(warn);
  return loaded;
}

/** A file name an environment can have: lowercase letters, digits and single hyphens, dots or underscores between them. */
const FILE_NAME = /^[a-z0-9]+(?:[-_.][a-z0-9]+)*\.json$/;

/** True when the file is named after the environment it holds (`dev.json` holds `dev`). */
const isNamedAfter = (l: LoadedEnvironment) => path.basename(l.file) === `${l.env.name}.json`;

/**
 * A file whose name is no environment's (`Lab Test.json`, often a copy whose `name` was not changed yet): one line
 * on that file. Commands take environments by name, and the pipelines list files in shell loops.
 */
function fileNameErrors(files: readonly string[]): ConfigError[] {
  return files
    .filter((file) => !FILE_NAME.test(path.basename(file)))
    .map((file) => {
      // The name it most likely means: its own, lower-cased, without what a name cannot hold (`Lab Test` → `labtest`).
      const example =
        path
          .basename(file, '.json')
          .toLowerCase()
          .replace(/[^a-z0-9]/g, '') || 'lab';
      return new ConfigError(
        file,
        '(file name)',
        `must be the environment's name in lowercase letters, digits and hyphens, such as ${example}.json`,
        path.basename(file),
      );
    });
}

/** The single mistakes a ConfigError stands for. */
export const mistakesOf = (e: ConfigError): readonly ConfigError[] => (e instanceof ConfigErrors ? e.errors : [e]);

function listFiles(target: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw new ConfigError(target, '', 'must be an environment JSON file or a directory of them (MFA_HA_CONFIG)', 'no such file or directory');
  }
  if (!stat.isDirectory()) return [target];
  const files = fs
    .readdirSync(target)
    .filter((f) => f.endsWith('.json') && f !== SCHEMA_FILE)
    .sort()
    .map((f) => path.join(target, f));
  if (files.length === 0) throw new ConfigError(target, '', 'must hold at least one environment *.json file', 'an empty directory');
  return files;
}

/** Reads, decodes (./encoding.ts), parses and validates one environment file. */
export function loadEnvironmentFile(file: string): LoadedEnvironment {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new ConfigError(file, '', 'must be a readable file', (e as NodeJS.ErrnoException).code);
  }
  return { file, env: parseEnvironment(file, decodeEnvironmentFile(file, bytes)) };
}

/** Validates the text of an environment file; `file` names it in errors. */
export function parseEnvironment(file: string, text: string): Environment {
  let data: unknown;
  try {
    // A byte-order mark is not JSON; editors write one (./encoding.ts removes it from files).
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ConfigError(file, '', `must be valid JSON (${jsonErrorWhere(text, (e as Error).message)})`);
  }
  return checkEnvironment(file, data);
}

/**
 * Validates an environment given as an object, the way `npm run synth` validates a file: the schema (types,
 * ranges, defaults filled in) and the whole-topology rules (address plan, names, zones). `source` names the
 * object in the errors, as a file name would.
 *
 * @returns the environment with every default filled in, as `MfaHaStack` takes it.
 * @throws ConfigError, or ConfigErrors for several mistakes: one line per mistake, `<source>: <field path> must be …, got …`.
 */
export function validateEnvironment(input: EnvironmentInput, source = 'environment'): Environment {
  return checkEnvironment(source, input);
}

function checkEnvironment(file: string, data: unknown): Environment {
  const reserved = reservedKeyPath(data);
  if (reserved)
    throw new ConfigError(
      file,
      formatPath(reserved),
      'must be renamed: JavaScript reserves the key "__proto__", and its value would be dropped without a word',
    );
  const result = environmentSchema.safeParse(data, { reportInput: true });
  if (result.success) {
    throwIfAny(violationsOf(result.data).map((v) => new ConfigError(file, v.path, v.expected, v.got)));
    return result.data;
  }
  // A misspelt field usually also makes a required one missing: name the misspellings first.
  const issues = [...result.error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
  const errors = issues.flatMap((issue) => issueToErrors(file, issue));
  errors.push(...violationsBesides(file, data, issues));
  throwIfAny(errors);
  throw new Error('unreachable: a failed parse has issues');
}

function issueToErrors(file: string, issue: core.$ZodIssue): ConfigError[] {
  const where = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const meant = closestField(issue.path, key);
      return new ConfigError(
        file,
        formatPath([...issue.path, key]),
        `is not a known field (${meant ? `did you mean "${meant}"? ` : ''}see ${ENVIRONMENTS_DIR}/${SCHEMA_FILE})`,
      );
    });
  }
  if (issue.input === undefined) return [new ConfigError(file, where, `is required: ${issue.message}`)];
  return [new ConfigError(file, where, `must be ${issue.message}`, valueAt(issue.input, issue.path.at(-1)))];
}

/**
 * Valid stand-ins for required fields, so that the whole-topology rules can run on a file whose required
 * fields are not all valid. Looked up by field path, then by the field's own name. Any rule about a stood-in
 * field, or naming it, is dropped, so the stand-ins' values never show.
 */
const PLACEHOLDERS: Readonly<Record<string, unknown>> = {
  name: 'xx',
  location: 'westeurope',
  'network.addressSpace': '10.0.0.0/8',
  'network.subnets.mfa': '10.255.0.0/27',
  'network.subnets.portal': '10.255.0.32/27',
  'network.subnets.adfs': '10.255.0.64/27',
  'network.subnets.wap': '10.255.0.96/27',
  'network.dnsServers': ['10.255.1.4'],
  'network.egress.nextHopIp': '10.255.2.4',
  'domain.name': 'placeholder.example',
  'keyVault.name': 'kv-placeholder',
  keyVaultResourceId:
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-placeholder/providers/Microsoft.KeyVault/vaults/kv-placeholder-read',
  secretName: 'placeholder',
  username: 'PLACEHOLDER\\placeholder',
  joinUsername: 'PLACEHOLDER\\placeholder',
  resourceGroupName: 'rg-placeholder',
  storageAccountName: 'stplaceholder',
  containerName: 'placeholder',
};

/**
 * The whole-topology mistakes of a file whose fields are not all valid, so that one run reports them too: an
 * invalid optional field is left out (its default applies), an invalid required one stands in with a valid
 * placeholder, and the rules run on the result. A rule about such a field, or one that names it, would judge a
 * value the user did not write: it says nothing. When no stand-in helps, the rules wait for the next run.
 */
function violationsBesides(file: string, data: unknown, first: readonly core.$ZodIssue[]): ConfigError[] {
  const repaired = structuredClone(data);
  const touched = new Set<string>();
  let issues = first;
  for (let round = 0; round < 3; round++) {
    for (const issue of issues) {
      const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
      for (const p of paths) {
        // An invalid list item: the whole list is left out or stood in, so that the others keep their indexes' meaning.
        const at = p.findIndex((part) => typeof part === 'number');
        const target = at >= 0 ? p.slice(0, at) : p;
        const where = formatPath(target);
        const placeholder = PLACEHOLDERS[where] ?? PLACEHOLDERS[String(target.at(-1))];
        // Left out first; stood in when it turns out to be required (or was missing to begin with).
        const standIn = touched.has(where) || (issue.code !== 'unrecognized_keys' && issue.input === undefined);
        if (target.length === 0 || (standIn && placeholder === undefined)) return [];
        if (!setAt(repaired, target, standIn ? placeholder : undefined)) return [];
        touched.add(where);
      }
    }
    const result = environmentSchema.safeParse(repaired, { reportInput: true });
    if (result.success) {
      const replaced = [...touched];
      const blamed = (v: { path: string; expected: string }) =>
        replaced.some((r) => v.path === r || v.path.startsWith(`${r}.`) || v.path.startsWith(`${r}[`) || r.startsWith(`${v.path}.`) || v.expected.includes(r));
      return violationsOf(result.data)
        .filter((v) => !blamed(v))
        .map((v) => new ConfigError(file, v.path, v.expected, v.got));
    }
    issues = result.error.issues;
  }
  return [];
}

/** Sets (or, for undefined, deletes) the field at `path`; false when a parent is not an object. */
function setAt(data: unknown, path: readonly PropertyKey[], value: unknown): boolean {
  let node: unknown = data;
  for (const part of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return false;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
  const record = node as Record<PropertyKey, unknown>;
  if (value === undefined) delete record[path[path.length - 1]];
  else record[path[path.length - 1]] = structuredClone(value);
  return true;
}

/** A union's discriminator is reported with the whole object as input: show the field's own value. */
function valueAt(input: unknown, key: PropertyKey | undefined): unknown {
  const isObject = typeof input === 'object' && input !== null && !Array.isArray(input);
  return isObject && typeof key === 'string' && key in input ? (input as Record<string, unknown>)[key] : input;
}

/** `['mfa', 'radius', 'clientCidrs', 0]` → `mfa.radius.clientCidrs[0]`. */
export function formatPath(parts: readonly PropertyKey[]): string {
  return parts.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}

function jsonErrorWhere(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return message;
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
}
