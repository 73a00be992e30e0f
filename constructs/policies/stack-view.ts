/** Where a block of the synthesized Terraform comes from. */
export type BlockKind = 'resource' | 'data' | 'provider' | 'backend';

/** One block of the synthesized Terraform, as the rules read it. */
export interface ResourceView {
  readonly kind: BlockKind;
  /** Resource or data source type (`azurerm_lb`), provider name (`azurerm`) or backend type. */
  readonly type: string;
  /** Local name; for providers their alias, if any. */
  readonly name: string;
  /** Terraform address: `azurerm_lb.x`, `data.azurerm_key_vault_secret.y`, `provider.azurerm`, `terraform.backend.azurerm`. */
  readonly address: string;
  /** Construct path, when the block came from a construct: `prod/mfa/servers/mfa-1/Resource`. */
  readonly path?: string;
  /** The arguments, tokens resolved, cdktf's `//` metadata removed. */
  readonly body: Readonly<Record<string, unknown>>;
}

/** The parts of synthesized Terraform JSON the view reads. */
export interface TerraformJsonInput {
  readonly resource?: Record<string, Record<string, unknown>>;
  readonly data?: Record<string, Record<string, unknown>>;
  readonly provider?: Record<string, readonly unknown[]>;
  readonly terraform?: { readonly backend?: Record<string, unknown> };
}

// `${azurerm_subnet.network_mfa-subnet_2C1906C5.id}` and `${data.azurerm_key_vault_secret.x.value}`
const REFERENCE = /^\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_.[\]]+\}$/;

/**
 * The synthesized Terraform of one stack, with the lookups rules need: blocks by type and address,
 * the block a reference points at, and the blocks that point at a given one.
 */
export class StackView {
  /** Every block, sorted by address so that findings come out in a stable order. */
  readonly all: readonly ResourceView[];
  private readonly byAddress = new Map<string, ResourceView>();
  private readonly byType = new Map<string, ResourceView[]>();

  constructor(json: TerraformJsonInput) {
    const views: ResourceView[] = [];
    const block = (kind: BlockKind, type: string, name: string, address: string, raw: unknown) => {
      const { ['//']: meta, ...body } = isRecord(raw) ? raw : {};
      const path = isRecord(meta) && isRecord(meta.metadata) && typeof meta.metadata.path === 'string' ? meta.metadata.path : undefined;
      views.push({ kind, type, name, address, path, body });
    };
    for (const [type, named] of Object.entries(json.resource ?? {})) {
      for (const [name, raw] of Object.entries(named)) block('resource', type, name, `${type}.${name}`, raw);
    }
    for (const [type, named] of Object.entries(json.data ?? {})) {
      for (const [name, raw] of Object.entries(named)) block('data', type, name, `data.${type}.${name}`, raw);
    }
    for (const [type, configs] of Object.entries(json.provider ?? {})) {
      for (const raw of configs) {
        const alias = isRecord(raw) && typeof raw.alias === 'string' ? raw.alias : '';
        block('provider', type, alias, alias ? `provider.${type}.${alias}` : `provider.${type}`, raw);
      }
    }
    for (const [type, raw] of Object.entries(json.terraform?.backend ?? {})) block('backend', type, '', `terraform.backend.${type}`, raw);

    this.all = views.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    for (const view of this.all) {
      this.byAddress.set(view.address, view);
      if (view.kind === 'resource') this.byType.set(view.type, [...(this.byType.get(view.type) ?? []), view]);
    }
  }

  /** The resources of one type. */
  ofType(type: string): readonly ResourceView[] {
    return this.byType.get(type) ?? [];
  }

  /** The block an expression such as `${azurerm_lb.x.id}` refers to; undefined for anything else. */
  target(expression: unknown): ResourceView | undefined {
    const m = typeof expression === 'string' ? REFERENCE.exec(expression) : null;
    if (!m) return undefined;
    return this.byAddress.get(`${m[1] ?? ''}${m[2]}.${m[3]}`);
  }

  /** Resources of `type` whose `attribute` (a reference, or a list of them) points at `resource`. */
  referrers(type: string, attribute: string, resource: ResourceView): readonly ResourceView[] {
    return this.ofType(type).filter((r) => listOf(r.body[attribute]).some((value) => this.target(value) === resource));
  }
}

/** A value as a list: a list stays, nothing becomes empty, anything else is wrapped. */
export function listOf<T>(value: T | readonly T[] | null | undefined): readonly T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value as T];
}

/** True for a JSON object (a nested block, a resource's arguments), false for a list or a scalar. */
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
