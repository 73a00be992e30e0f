import * as fs from 'fs';
import * as path from 'path';
import type { core } from 'zod';
import { decodeEnvironmentFile } from './encoding';
import { ConfigError } from './errors';
import { reservedKeyPath } from './json-keys';
import { firstViolation } from './rules';
import { Environment, environmentSchema } from './schema';
import { firstDuplicate } from './uniqueness';

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
 * (the default: `environments/`). Throws a ConfigError at the first mistake; nothing else is read after it.
 * Files of one directory must not share a name, a Key Vault or a state key (./uniqueness.ts).
 */
export function loadEnvironments(target: string = ENVIRONMENTS_DIR): LoadedEnvironment[] {
  const files = listFiles(target);
  const loaded = files.map(loadEnvironmentFile);
  const duplicate = firstDuplicate(loaded);
  if (duplicate) throw duplicate;
  return loaded;
}

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
  const reserved = reservedKeyPath(data);
  if (reserved) throw new ConfigError(file, formatPath(reserved), 'must be renamed: JavaScript reserves the key "__proto__", and its value would be dropped without a word');
  const result = environmentSchema.safeParse(data, { reportInput: true });
  if (!result.success) throw issueToError(file, result.error.issues);
  const violation = firstViolation(result.data);
  if (violation) throw new ConfigError(file, violation.path, violation.expected, violation.got);
  return result.data;
}

function issueToError(file: string, issues: readonly core.$ZodIssue[]): ConfigError {
  // A misspelt field usually also makes a required one missing: name the misspelling first.
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  const where = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const field = formatPath([...issue.path, issue.keys[0]]);
    return new ConfigError(file, field, `is not a known field (see ${ENVIRONMENTS_DIR}/${SCHEMA_FILE})`);
  }
  if (issue.input === undefined) return new ConfigError(file, where, `is required: ${issue.message}`);
  return new ConfigError(file, where, `must be ${issue.message}`, valueAt(issue.input, issue.path.at(-1)));
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
