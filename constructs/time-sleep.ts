import { ITerraformDependable, TerraformProvider, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';

/**
 * The hashicorp/time provider, for one resource: `time_sleep`. Written here rather than taken from
 * `@cdktf/provider-time` 11.0.1 (which binds the same 0.13.1): CDK Terrain has no `@cdktn/provider-time` on npm,
 * and `npm run compat:cdktn` swaps every `@cdktf/provider-*` package for its `@cdktn` counterpart. These two
 * classes need only cdktf's core, which the swap rewrites.
 */
export const TIME_PROVIDER = { source: 'hashicorp/time', version: '0.13.1' } as const;

const METADATA = { providerName: 'time', providerVersion: TIME_PROVIDER.version };

/** The `time` provider block (it takes no arguments). */
export class TimeProvider extends TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, { terraformResourceType: 'time', terraformGeneratorMetadata: METADATA, terraformProviderSource: TIME_PROVIDER.source });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return {};
  }
}

/** Props of a `time_sleep`. */
export interface TimeSleepProps {
  /** How long to wait after what it depends on has been created: a Go duration such as `300s`. */
  readonly createDuration: string;
  /** Values that, when they change, replace the sleep (and so wait again): the ids of what it waits for. */
  readonly triggers?: Readonly<Record<string, string>>;
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** `time_sleep`: waits once, when created, after its dependencies; later applies do not wait. */
export class TimeSleep extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly props: TimeSleepProps,
  ) {
    super(scope, id, {
      terraformResourceType: 'time_sleep',
      terraformGeneratorMetadata: METADATA,
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { create_duration: this.props.createDuration, triggers: this.props.triggers };
  }
}
