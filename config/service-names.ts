import type { Environment } from './schema';

/**
 * The names clients use for each load-balanced service of the design: `mfaapp` (Web Service SDK and
 * replication), the user portal and mobile app web service, and the AD FS federation service. Scripts,
 * settings, certificates, outputs and the DNS records all read them from here.
 */
export interface ServiceNames {
  readonly mfaApp: string;
  readonly portal: string;
  readonly federationService: string;
}

/** The service names of an environment; unset names default under the AD domain (the HA doc's mfaapp and mfa). */
export function serviceNamesOf(env: Pick<Environment, 'dns' | 'domain'>): ServiceNames {
  const domain = env.domain.name.toLowerCase();
  return {
    mfaApp: env.dns.mfaApp ?? `mfaapp.${domain}`,
    portal: env.dns.portal ?? `mfa.${domain}`,
    federationService: env.dns.federationService ?? `sts.${domain}`,
  };
}

/** Virtual directory of the MFA user portal (Microsoft's default). */
export const USER_PORTAL_PATH = '/MultiFactorAuth/';
/** Virtual directory of the MFA mobile app web service (Microsoft's default). */
export const MOBILE_APP_WEB_SERVICE_PATH = '/MultiFactorAuthMobileAppWebService/';
/** Path of the Web Service SDK on every MFA server. */
export const WEB_SERVICE_SDK_PATH = '/MultiFactorAuthWebServiceSdk/PfWsSdk.asmx';

/** The URLs the manual installation steps need, built from the names. */
export function serviceUrlsOf(names: ServiceNames) {
  return {
    webServiceSdk: `https://${names.mfaApp}${WEB_SERVICE_SDK_PATH}`,
    userPortal: `https://${names.portal}${USER_PORTAL_PATH}`,
    mobileAppWebService: `https://${names.portal}${MOBILE_APP_WEB_SERVICE_PATH}`,
    federationMetadata: `https://${names.federationService}/FederationMetadata/2007-06/FederationMetadata.xml`,
  };
}
