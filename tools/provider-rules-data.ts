import * as fs from 'fs';
import * as path from 'path';

/*
 * The azurerm 4.55.0 provider's plan-time facts (and the hashicorp/random appendix), read from the provider's
 * source, as data: data/azurerm-4.55.0-validation.json. This module knows the file's shape and reads it; the
 * checker (./provider-rules.ts) judges values against it, and the offline plan (./change-plan.ts) reads its
 * ForceNew facts.
 */

/** The data file, relative to the repository root. */
export const PROVIDER_RULES_FILE = path.join('data', 'azurerm-4.55.0-validation.json');

/** The project's copy of the provider rules (`npm run rules:refresh -- <file>` renews it). */
export const RULES_FILE = path.join(__dirname, '..', PROVIDER_RULES_FILE);

/** One rule of an attribute, as the data file writes it. */
export type Rule =
  | { readonly kind: 'length'; readonly min?: number; readonly max?: number; readonly element?: boolean }
  | { readonly kind: 'enum'; readonly values: readonly (string | number)[]; readonly ignoreCase?: boolean; readonly element?: boolean }
  | {
      readonly kind: 'regex';
      readonly pattern: string;
      readonly negate?: boolean;
      readonly appliesWhen?: string;
      readonly derived?: boolean;
      readonly element?: boolean;
    }
  | { readonly kind: 'range'; readonly min?: number; readonly max?: number; readonly element?: boolean }
  | { readonly kind: 'resourceId'; readonly format: string; readonly resourceType?: string; readonly element?: boolean }
  | { readonly kind: 'anyOf'; readonly of: readonly (readonly Rule[])[]; readonly element?: boolean }
  | { readonly kind: 'conflicts'; readonly with: readonly string[] }
  | { readonly kind: 'requiredWith'; readonly with: readonly string[] }
  | { readonly kind: 'exactlyOneOf'; readonly of: readonly string[] }
  | { readonly kind: 'atLeastOneOf'; readonly of: readonly string[] }
  | { readonly kind: 'text'; readonly text: string; readonly when?: 'plan' | 'apply'; readonly element?: boolean };

/** What the data file says about one attribute path (`ip_configuration.subnet_id`). */
export interface AttributeSchema {
  readonly type: string;
  readonly required: boolean;
  readonly optional: boolean;
  readonly computed: boolean;
  readonly forceNew?: boolean;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly rules: readonly Rule[];
}

/** Attribute path → schema, for one resource type. */
export type TypeSchema = Readonly<Record<string, AttributeSchema>>;

/** One provider's rules: resource types and data sources. */
export interface ProviderRules {
  readonly provider: string;
  readonly version: string;
  readonly resources: Readonly<Record<string, TypeSchema>>;
  readonly data?: Readonly<Record<string, TypeSchema>>;
}

/** The data file: azurerm's rules, with other providers' groups (`random`) beside them. */
export type RulesFile = ProviderRules & Readonly<Record<string, unknown>>;

/** The provider groups of a rules file: the top level (azurerm) and every nested group (`random`). */
export function providersOf(file: RulesFile): ProviderRules[] {
  const nested = Object.values(file).filter((v): v is ProviderRules => typeof v === 'object' && v !== null && 'resources' in v && 'provider' in v);
  return [file, ...nested];
}

/** The provider groups of a rules file (the project's by default). */
export function loadRules(file = RULES_FILE): ProviderRules[] {
  return providersOf(JSON.parse(fs.readFileSync(file, 'utf8')) as RulesFile);
}

let projectRules: ProviderRules[] | undefined;

/** The schema of a managed resource type (azurerm or random) in the project's file, read once; undefined for a type it does not cover. */
export function resourceFacts(type: string): TypeSchema | undefined {
  projectRules ??= loadRules();
  return projectRules.find((p) => p.resources[type] !== undefined)?.resources[type];
}
