import { ITerraformDependable, TerraformDataSource, TerraformProvider, TerraformResource, TerraformResourceLifecycle } from 'cdktf';
import { Construct } from 'constructs';

/**
 * The hashicorp/azuread provider, for the two blocks the migration needs: the Azure Multi-Factor Auth Client service
 * principal (data source) and certificate credentials on it. Written here rather than taken from
 * `@cdktf/provider-azuread` 14.3.1 (which binds the same 3.7.0 and is marked deprecated), as constructs/time-sleep.ts
 * does for `time`: CDK Terrain has no `@cdktn/provider-azuread` on npm, and `npm run compat:cdktn` swaps every
 * `@cdktf/provider-*` package for its `@cdktn` counterpart. These classes need only cdktf's core; the provider-rules
 * test checks what they write against azuread 3.7.0's schema (data/azurerm-4.55.0-validation.json, `azuread`).
 */
export const AZUREAD_PROVIDER = { source: 'hashicorp/azuread', version: '3.7.0' } as const;

const METADATA = { providerName: 'azuread', providerVersion: AZUREAD_PROVIDER.version };

/** The `azuread` provider block: the tenant; credentials come from the environment (ARM_*), as for azurerm. */
export class AzureadProvider extends TerraformProvider {
  constructor(
    scope: Construct,
    id: string,
    private readonly props: { readonly tenantId: string },
  ) {
    super(scope, id, { terraformResourceType: 'azuread', terraformGeneratorMetadata: METADATA, terraformProviderSource: AZUREAD_PROVIDER.source });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { tenant_id: this.props.tenantId };
  }
}

/** `data "azuread_service_principal"`, looked up by its application (client) id. */
export class DataAzureadServicePrincipal extends TerraformDataSource {
  constructor(
    scope: Construct,
    id: string,
    private readonly props: { readonly clientId: string },
  ) {
    super(scope, id, { terraformResourceType: 'azuread_service_principal', terraformGeneratorMetadata: METADATA });
  }

  /** The service principal's object id, as `azuread_service_principal_certificate` wants it. */
  get id(): string {
    return this.getStringAttribute('id');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { client_id: this.props.clientId };
  }
}

/** Props of an `azuread_service_principal_certificate`. */
export interface ServicePrincipalCertificateProps {
  readonly servicePrincipalId: string;
  /** The certificate's public data, in `encoding`. */
  readonly value: string;
  /** `pem` (the provider's default), `base64` or `hex` (what `azurerm_key_vault_certificate.certificate_data` gives). */
  readonly encoding?: 'pem' | 'base64' | 'hex';
  /** RFC 3339 start of validity; omitted, the provider takes the current date. A renewed AD FS tenant certificate starts two days later. */
  readonly startDate?: string;
  /** RFC 3339 end of validity; omitted, the certificate's own. */
  readonly endDate?: string;
  readonly dependsOn?: readonly ITerraformDependable[];
  /** `create_before_destroy`: a renewed certificate is registered before the old one goes. */
  readonly lifecycle?: TerraformResourceLifecycle;
}

/** `azuread_service_principal_certificate`: a certificate credential (AsymmetricX509Cert) on a service principal. */
export class ServicePrincipalCertificate extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly props: ServicePrincipalCertificateProps,
  ) {
    super(scope, id, {
      terraformResourceType: 'azuread_service_principal_certificate',
      terraformGeneratorMetadata: METADATA,
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
      lifecycle: props.lifecycle,
    });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return {
      service_principal_id: this.props.servicePrincipalId,
      type: 'AsymmetricX509Cert',
      value: this.props.value,
      encoding: this.props.encoding,
      start_date: this.props.startDate,
      end_date: this.props.endDate,
    };
  }
}
