import { Construct } from 'constructs';
import { AzureadProvider, DataAzureadServicePrincipal, ServicePrincipalCertificate, ServicePrincipalCertificateProps } from './azuread';

/**
 * The application id of the "Azure Multi-Factor Auth Client" service principal, which AD FS and the NPS extension
 * authenticate as with their certificates: "981f26a1-7f43-403b-a875-f8b09b8cd720 is the GUID for Azure multifactor
 * authentication Client" (https://learn.microsoft.com/windows-server/identity/ad-fs/operations/configure-ad-fs-and-azure-mfa;
 * the NPS extension's CLIENT_ID, https://learn.microsoft.com/entra/identity/authentication/howto-mfa-nps-extension).
 */
export const AZURE_MFA_CLIENT_APP_ID = '981f26a1-7f43-403b-a875-f8b09b8cd720';

/** Props of the Entra MFA client. */
export interface EntraMfaClientProps {
  /** The Microsoft Entra tenant (migration.tenantId). */
  readonly tenantId: string;
}

/**
 * The tenant's "Azure Multi-Factor Auth Client" service principal, looked up once per stack with the azuread
 * provider (hashicorp/azuread 3.7.0, ./azuread.ts), and the certificates the AD FS and NPS
 * servers authenticate to it with. Registering a certificate needs `Application.ReadWrite.OwnedBy` on this service
 * principal or `Application.ReadWrite.All` (a user: Application Administrator)
 * (https://registry.terraform.io/providers/hashicorp/azuread/latest/docs/resources/service_principal_certificate).
 */
export class EntraMfaClient extends Construct {
  readonly servicePrincipal: DataAzureadServicePrincipal;

  constructor(scope: Construct, id: string, props: EntraMfaClientProps) {
    super(scope, id);
    new AzureadProvider(this, 'azuread', { tenantId: props.tenantId });
    this.servicePrincipal = new DataAzureadServicePrincipal(this, 'service-principal', { clientId: AZURE_MFA_CLIENT_APP_ID });
  }

  /** Adds a certificate credential to the service principal; `id` names it by its server (`nps-1`). */
  registerCertificate(scope: Construct, id: string, certificate: Omit<ServicePrincipalCertificateProps, 'servicePrincipalId'>): ServicePrincipalCertificate {
    return new ServicePrincipalCertificate(scope, id, { ...certificate, servicePrincipalId: this.servicePrincipal.id });
  }
}
