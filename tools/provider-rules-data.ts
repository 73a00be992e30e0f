import * as fs from 'fs';
import * as path from 'path';

/*
 * The azurerm 4.55.0 provider's plan-time facts (and the hashicorp/random appendix), read from the provider's
 * source, as data: data/azurerm-4.55.0-validation.json. The ForceNew facts of the offline plan come from here; tools/provider-rules.ts judges values against the same file.
 */

/** The data file, relative to the repository root. */
export const PROVIDER_RULES_FILE = path.join('data', 'azurerm-4.55.0-validation.json');

/** One validation rule of an attribute (`enum`, `regex`, `length`, `conflicts`, `text`, …). */
export interface AttributeRule {
  readonly kind: string;
  readonly text?: string;
  readonly [key: string]: unknown;
}

/** What the provider knows of one attribute path (`os_disk.storage_account_type`). */
export interface AttributeFacts {
  readonly type: string;
  readonly required: boolean;
  readonly optional: boolean;
  readonly computed: boolean;
  /** Changing the value after creation destroys and recreates the resource (inside a block: the whole resource). */
  readonly forceNew: boolean;
  readonly default: unknown;
  readonly sensitive?: boolean;
  readonly rules: readonly AttributeRule[];
}

/** Attribute path → facts, for one resource type. */
export type ResourceFacts = Readonly<Record<string, AttributeFacts>>;

/** The whole file. */
export interface ProviderRules {
  readonly provider: string;
  readonly version: string;
  readonly resources: Readonly<Record<string, ResourceFacts>>;
  readonly data: Readonly<Record<string, ResourceFacts>>;
  readonly random: { readonly provider: string; readonly version: string; readonly resources: Readonly<Record<string, ResourceFacts>> };
}

let cached: ProviderRules | undefined;

/** The parsed data file (read once). */
export function providerRules(): ProviderRules {
  cached ??= JSON.parse(fs.readFileSync(path.join(__dirname, '..', PROVIDER_RULES_FILE), 'utf8')) as ProviderRules;
  return cached;
}

/** The facts of a managed resource type (azurerm or random); undefined for a type the file does not cover. */
export function resourceFacts(type: string): ResourceFacts | undefined {
  const rules = providerRules();
  return rules.resources[type] ?? rules.random.resources[type];
}
