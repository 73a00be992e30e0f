<#
  Stubs of the commands the generated scripts call that exist only on Windows Server. Each declares the
  parameter names, parameter sets, types and Mandatory flags of the real command, from the Microsoft Learn
  page cited beside it, so that PowerShell's own parameter binding judges every call a script makes: a wrong
  name, a missing mandatory argument or an argument in the wrong place fails the test as it would fail on the
  server. Pester's Mock copies a stub's parameters, so a mocked call is bound the same way.

  Every stub throws: a scenario mocks what it lets a script call, and a call it did not expect fails loudly.
  Types only Windows has are given as the nearest type PowerShell on Linux knows, said beside them
  (Microsoft.Management.Infrastructure.CimSession, the ServerManager Feature, DnsClient's RecordType).
  Common parameters (-ErrorAction, -WhatIf through SupportsShouldProcess) come with [CmdletBinding()].
#>

Set-StrictMode -Version Latest

$script:Unmocked = 'stub: mock me'

# --- AD FS (module ADFS) ---------------------------------------------------------------------------------

# https://learn.microsoft.com/powershell/module/adfs/install-adfsfarm
function Install-AdfsFarm {
  [CmdletBinding(DefaultParameterSetName = 'ADFSFarmCreateLocalDatabase', SupportsShouldProcess = $true)]
  param(
    [string] $CertificateThumbprint,
    [pscredential] $Credential,
    [Parameter(Mandatory = $true)] [string] $FederationServiceName,
    [string] $FederationServiceDisplayName,
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmCreateLocalDatabase')]
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmCreateLocalDatabaseDisableAutoCertRollover')]
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmCreateSharedDatabase')]
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmCreateSharedDatabaseDisableAutoCertRollover')]
    [pscredential] $ServiceAccountCredential,
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmCreateLocalDatabaseGmsa')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmCreateLocalDatabaseDisableAutoCertRolloverGmsa')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmCreateSharedDatabaseGmsa')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmCreateSharedDatabaseDisableAutoCertRolloverGmsa')]
    [string] $GroupServiceAccountIdentifier,
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmCreateLocalDatabaseDisableAutoCertRollover')]
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmCreateSharedDatabaseDisableAutoCertRollover')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmCreateLocalDatabaseDisableAutoCertRolloverGmsa')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmCreateSharedDatabaseDisableAutoCertRolloverGmsa')]
    [string] $DecryptionCertificateThumbprint,
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmCreateLocalDatabaseDisableAutoCertRollover')]
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmCreateSharedDatabaseDisableAutoCertRollover')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmCreateLocalDatabaseDisableAutoCertRolloverGmsa')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmCreateSharedDatabaseDisableAutoCertRolloverGmsa')]
    [string] $SigningCertificateThumbprint,
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmCreateSharedDatabase')]
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmCreateSharedDatabaseDisableAutoCertRollover')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmCreateSharedDatabaseGmsa')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmCreateSharedDatabaseDisableAutoCertRolloverGmsa')]
    [string] $SQLConnectionString,
    [switch] $OverwriteConfiguration,
    [int] $SSLPort,
    [int] $TlsClientPort,
    [hashtable] $AdminConfiguration
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/adfs/add-adfsfarmnode
function Add-AdfsFarmNode {
  [CmdletBinding(DefaultParameterSetName = 'AdfsFarmJoinWidGmsa', SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmJoinWidGmsa')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmJoinSqlGmsa')]
    [string] $GroupServiceAccountIdentifier,
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmJoinWidSvcAcct')]
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmJoinSqlSvcAcct')]
    [pscredential] $ServiceAccountCredential,
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmJoinWidGmsa')]
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmJoinWidSvcAcct')]
    [string] $PrimaryComputerName,
    [Parameter(ParameterSetName = 'AdfsFarmJoinWidGmsa')]
    [Parameter(ParameterSetName = 'ADFSFarmJoinWidSvcAcct')]
    [int] $PrimaryComputerPort,
    [Parameter(ParameterSetName = 'AdfsFarmJoinWidGmsa')]
    [Parameter(ParameterSetName = 'ADFSFarmJoinWidSvcAcct')]
    [switch] $OverwriteConfiguration,
    [Parameter(Mandatory = $true, ParameterSetName = 'ADFSFarmJoinSqlSvcAcct')]
    [Parameter(Mandatory = $true, ParameterSetName = 'AdfsFarmJoinSqlGmsa')]
    [string] $SQLConnectionString,
    [Parameter(ParameterSetName = 'ADFSFarmJoinSqlSvcAcct')]
    [Parameter(ParameterSetName = 'AdfsFarmJoinSqlGmsa')]
    [int] $FarmBehavior,
    [string] $CertificateThumbprint,
    [pscredential] $Credential
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/adfs/get-adfssyncproperties
function Get-AdfsSyncProperties {
  [CmdletBinding()]
  param()
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/adfs/get-adfscertificate
function Get-AdfsCertificate {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)] [ValidateSet('Service-Communications', 'Token-Decrypting', 'Token-Signing')] [string[]] $CertificateType,
    [string[]] $Thumbprint
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/adfs/set-adfscertificate
function Set-AdfsCertificate {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true)] [ValidateSet('Service-Communications', 'Token-Decrypting', 'Token-Signing')] [string] $CertificateType,
    [Parameter(Mandatory = $true)] [string] $Thumbprint,
    [switch] $IsPrimary,
    [switch] $PassThru
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/adfs/get-adfssslcertificate
# (its output: HostName, PortNumber and CertificateHash of each AD FS binding of this server)
function Get-AdfsSslCertificate {
  [CmdletBinding()]
  param()
  throw $script:Unmocked
}

# --- Web Application Proxy (module WebApplicationProxy) ----------------------------------------------------

# https://learn.microsoft.com/powershell/module/webapplicationproxy/install-webapplicationproxy
function Install-WebApplicationProxy {
  [CmdletBinding(DefaultParameterSetName = 'Default')]
  param(
    [Parameter(Mandatory = $true)] [pscredential] $FederationServiceTrustCredential,
    [Parameter(Mandatory = $true)] [string] $CertificateThumbprint,
    [Parameter(Mandatory = $true)] [string] $FederationServiceName,
    [int] $HttpsPort,
    [int] $TlsClientPort,
    [string] $ForwardProxy
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/webapplicationproxy/get-webapplicationproxyapplication
# (-CimSession is a CimSession[]: object[] here)
function Get-WebApplicationProxyApplication {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)] [string] $Name,
    [guid] $ID,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/webapplicationproxy/add-webapplicationproxyapplication
function Add-WebApplicationProxyApplication {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true, Position = 0)] [string] $Name,
    [Parameter(Mandatory = $true)] [string] $BackendServerUrl,
    [Parameter(Mandatory = $true)] [string] $ExternalUrl,
    [string] $ExternalCertificateThumbprint,
    [ValidateSet('ADFS', 'PassThrough', 'ClientCertificate', 'ADFSforRichClients', 'ADFSforOAuth', 'ADFSforBrowsersAndOffice')]
    [string] $ExternalPreauthentication,
    [string] $ADFSRelyingPartyName,
    [string] $BackendServerAuthenticationSPN,
    [string] $BackendServerCertificateValidation,
    [string] $ClientCertificateAuthenticationBindingMode,
    [string] $ClientCertificatePreauthenticationThumbprint,
    [switch] $DisableHttpOnlyCookieProtection,
    [switch] $DisableTranslateUrlInRequestHeaders,
    [switch] $DisableTranslateUrlInResponseHeaders,
    [switch] $EnableHTTPRedirect,
    [switch] $EnableSignOut,
    [uint32] $InactiveTransactionsTimeoutSec,
    [switch] $UseOAuthAuthentication,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/webapplicationproxy/set-webapplicationproxyapplication
function Set-WebApplicationProxyApplication {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true, Position = 0)] [guid] $ID,
    [string] $ExternalUrl,
    [string] $ExternalCertificateThumbprint,
    [string] $BackendServerUrl,
    [string] $Name,
    [string] $BackendServerAuthenticationSPN,
    [string] $BackendServerCertificateValidation,
    [string] $ClientCertificateAuthenticationBindingMode,
    [string] $ClientCertificatePreauthenticationThumbprint,
    [switch] $DisableHttpOnlyCookieProtection,
    [switch] $DisableTranslateUrlInRequestHeaders,
    [switch] $DisableTranslateUrlInResponseHeaders,
    [switch] $EnableHTTPRedirect,
    [switch] $EnableSignOut,
    [uint32] $InactiveTransactionsTimeoutSec,
    [switch] $UseOAuthAuthentication,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/webapplicationproxy/get-webapplicationproxysslcertificate
# (its output is not documented: bindings like Get-AdfsSslCertificate's, HostName, PortNumber, CertificateHash)
function Get-WebApplicationProxySslCertificate {
  [CmdletBinding()]
  param()
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/webapplicationproxy/set-webapplicationproxysslcertificate
function Set-WebApplicationProxySslCertificate {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param([Parameter(Mandatory = $true)] [string] $Thumbprint)
  throw $script:Unmocked
}

# --- IIS (module WebAdministration) ------------------------------------------------------------------------

# https://learn.microsoft.com/powershell/module/webadministration/get-webbinding (-Port is a String there)
function Get-WebBinding {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)] [string] $Name,
    [string] $Protocol,
    [string] $Port,
    [string] $IPAddress,
    [string] $HostHeader
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/webadministration/new-webbinding (no -WhatIf or -Confirm)
function New-WebBinding {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)] [string] $Name,
    [string] $Protocol,
    [uint32] $Port,
    [string] $IPAddress,
    [string] $HostHeader,
    [int] $SslFlags,
    [switch] $Force
  )
  throw $script:Unmocked
}

# --- Server Manager (module ServerManager) -----------------------------------------------------------------

# https://learn.microsoft.com/powershell/module/servermanager/install-windowsfeature
# (-Name takes Feature[] objects or names: string[] here; -Credential is a PSCredential)
function Install-WindowsFeature {
  [CmdletBinding(DefaultParameterSetName = 'FeatureName', SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'FeatureName', ValueFromPipeline = $true)] [string[]] $Name,
    [Parameter(Mandatory = $true, ParameterSetName = 'ConfigurationFilePath')] [string] $ConfigurationFilePath,
    [switch] $Restart,
    [switch] $IncludeAllSubFeature,
    [switch] $IncludeManagementTools,
    [string[]] $Source,
    [string] $Vhd,
    [string] $ComputerName,
    [pscredential] $Credential,
    [string] $LogPath
  )
  throw $script:Unmocked
}

# --- DNS client (module DnsClient) -------------------------------------------------------------------------

# https://learn.microsoft.com/powershell/module/dnsclient/resolve-dnsname
# (-Type is a RecordType enumeration: its names as a ValidateSet here)
function Resolve-DnsName {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)] [string] $Name,
    [Parameter(Position = 1)]
    [ValidateSet('UNKNOWN', 'A_AAAA', 'A', 'NS', 'MD', 'MF', 'CNAME', 'SOA', 'MB', 'MG', 'MR', 'NULL', 'WKS', 'PTR', 'HINFO', 'MINFO', 'MX', 'TXT', 'RP', 'AFSDB', 'X25', 'ISDN', 'RT', 'AAAA', 'SRV', 'DNAME', 'OPT', 'DS', 'RRSIG', 'NSEC', 'DNSKEY', 'DHCID', 'NSEC3', 'NSEC3PARAM', 'ANY', 'ALL', 'WINS')]
    [string] $Type,
    [string[]] $Server,
    [switch] $DnsOnly,
    [switch] $CacheOnly,
    [switch] $DnssecOk,
    [switch] $DnssecCd,
    [switch] $NoHostsFile,
    [switch] $LlmnrNetbiosOnly,
    [switch] $LlmnrFallback,
    [switch] $LlmnrOnly,
    [switch] $NetbiosFallback,
    [switch] $NoIdn,
    [switch] $NoRecursion,
    [switch] $QuickTimeout,
    [switch] $TcpOnly
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/dnsclient/clear-dnsclientcache
function Clear-DnsClientCache {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param([object[]] $CimSession, [int] $ThrottleLimit, [switch] $AsJob)
  throw $script:Unmocked
}

# --- DNS server (module DnsServer), for the DNS script run on a domain controller --------------------------

# https://learn.microsoft.com/powershell/module/dnsserver/get-dnsserverzone
function Get-DnsServerZone {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)] [string[]] $Name,
    [string] $ComputerName,
    [string] $ZoneScope,
    [string] $VirtualizationInstance,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/dnsserver/add-dnsserverprimaryzone
function Add-DnsServerPrimaryZone {
  [CmdletBinding(DefaultParameterSetName = 'ADForwardLookupZone', SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ADForwardLookupZone')]
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'FileForwardLookupZone')]
    [string] $Name,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ADReverseLookupZone')]
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'FileReverseLookupZone')]
    [string] $NetworkId,
    [Parameter(Mandatory = $true, Position = 1, ParameterSetName = 'ADForwardLookupZone')]
    [Parameter(Mandatory = $true, Position = 1, ParameterSetName = 'ADReverseLookupZone')]
    [ValidateSet('Forest', 'Domain', 'Legacy', 'Custom')]
    [string] $ReplicationScope,
    [Parameter(Mandatory = $true, ParameterSetName = 'FileForwardLookupZone')]
    [Parameter(Mandatory = $true, ParameterSetName = 'FileReverseLookupZone')]
    [string] $ZoneFile,
    [Parameter(ParameterSetName = 'ADForwardLookupZone')]
    [Parameter(ParameterSetName = 'ADReverseLookupZone')]
    [string] $DirectoryPartitionName,
    [ValidateSet('None', 'Secure', 'NonsecureAndSecure')]
    [string] $DynamicUpdate,
    [string] $ResponsiblePerson,
    [switch] $LoadExisting,
    [string] $ComputerName,
    [switch] $PassThru,
    [string] $VirtualizationInstance,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/dnsserver/get-dnsserverresourcerecord
function Get-DnsServerResourceRecord {
  [CmdletBinding(DefaultParameterSetName = 'Unknown')]
  param(
    [Parameter(Mandatory = $true, Position = 0)] [string] $ZoneName,
    [Parameter(Position = 1)] [string] $Name,
    [Parameter(ParameterSetName = 'Unknown')] [uint16] $Type,
    [Parameter(ParameterSetName = 'RRType')]
    [ValidateSet('HInfo', 'Afsdb', 'Atma', 'Isdn', 'Key', 'Mb', 'Md', 'Mf', 'Mg', 'MInfo', 'Mr', 'Mx', 'NsNxt', 'Rp', 'Rt', 'Wks', 'X25', 'A', 'AAAA', 'CName', 'Ptr', 'Srv', 'Txt', 'Wins', 'WinsR', 'Ns', 'Soa', 'NasP', 'NasPtr', 'DName', 'Gpos', 'Loc', 'DhcId', 'Naptr', 'RRSig', 'DnsKey', 'DS', 'NSec', 'NSec3', 'NSec3Param', 'Tlsa')]
    [string] $RRType,
    [switch] $Node,
    [string] $ZoneScope,
    [string] $ComputerName,
    [string] $VirtualizationInstance,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/dnsserver/add-dnsserverresourcerecorda
function Add-DnsServerResourceRecordA {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true, Position = 0)] [string] $Name,
    [Parameter(Mandatory = $true, Position = 1)] [ipaddress[]] $IPv4Address,
    [Parameter(Mandatory = $true, Position = 2)] [string] $ZoneName,
    [switch] $AllowUpdateAny,
    [switch] $CreatePtr,
    [timespan] $TimeToLive,
    [switch] $AgeRecord,
    [string] $ZoneScope,
    [string] $ComputerName,
    [switch] $PassThru,
    [string] $VirtualizationInstance,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# --- Network Policy Server (module NPS) --------------------------------------------------------------------
# The NpsRadiusClient objects these return are not described on the pages; New-NpsRadiusClient takes Address,
# SharedSecret, VendorName and AuthAttributeRequired "ByPropertyName" from them, which the scenarios' objects carry.

# https://learn.microsoft.com/powershell/module/nps/get-npsradiusclient
function Get-NpsRadiusClient {
  [CmdletBinding()]
  param()
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/nps/new-npsradiusclient
# ("The NPS Server service must be restarted after you run the New-NpsRadiusClient cmdlet.")
function New-NpsRadiusClient {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true, Position = 0)] [string] $Name,
    [Parameter(Mandatory = $true, Position = 1, ValueFromPipelineByPropertyName = $true)] [string] $Address,
    [Parameter(ValueFromPipelineByPropertyName = $true)] [bool] $AuthAttributeRequired,
    [Parameter(ValueFromPipelineByPropertyName = $true)] [string] $SharedSecret,
    [Parameter(ValueFromPipelineByPropertyName = $true)] [string] $VendorName,
    [switch] $Disabled
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/nps/set-npsradiusclient
function Set-NpsRadiusClient {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)] [string] $Name,
    [string] $Address,
    [bool] $AuthAttributeRequired,
    [string] $SharedSecret,
    [string] $VendorName,
    [bool] $Enabled
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/nps/remove-npsradiusclient
function Remove-NpsRadiusClient {
  [CmdletBinding()]
  param([Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)] [string] $Name)
  throw $script:Unmocked
}

# --- Windows Firewall (module NetSecurity) ------------------------------------------------------------------

# https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallrule
# (-Enabled, -Direction, -Action and the like are enumerations: their names as a ValidateSet here; -AssociatedNetFirewall*
#  filter objects are CimInstances: object here)
function Get-NetFirewallRule {
  [CmdletBinding(DefaultParameterSetName = 'GetAll')]
  param(
    [Parameter(ParameterSetName = 'GetAll')] [switch] $All,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ByName')] [Alias('ID')] [string[]] $Name,
    [Parameter(Mandatory = $true, ParameterSetName = 'ByDisplayName')] [string[]] $DisplayName,
    [Parameter(ParameterSetName = 'ByQuery')] [string[]] $Description,
    [Parameter(ParameterSetName = 'ByQuery')] [string[]] $DisplayGroup,
    [Parameter(ParameterSetName = 'ByQuery')] [string[]] $Group,
    [Parameter(ParameterSetName = 'ByQuery')] [ValidateSet('True', 'False')] [string[]] $Enabled,
    [Parameter(ParameterSetName = 'ByQuery')] [ValidateSet('Inbound', 'Outbound')] [string[]] $Direction,
    [Parameter(ParameterSetName = 'ByQuery')] [ValidateSet('NotConfigured', 'Allow', 'Block')] [string[]] $Action,
    [Parameter(ParameterSetName = 'ByQuery')] [string[]] $Owner,
    [Parameter(ParameterSetName = 'ByQuery')] [string[]] $PolicyStoreSource,
    [Parameter(Mandatory = $true, ValueFromPipeline = $true, ParameterSetName = 'ByAssociatedNetFirewallAddressFilter')] [object] $AssociatedNetFirewallAddressFilter,
    [Parameter(Mandatory = $true, ValueFromPipeline = $true, ParameterSetName = 'ByAssociatedNetFirewallPortFilter')] [object] $AssociatedNetFirewallPortFilter,
    [string] $PolicyStore,
    [string] $GPOSession,
    [switch] $TracePolicyStore,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/netsecurity/new-netfirewallrule
# (-Enabled "is not boolean ... Use "True" and "False" text strings"; -Profile, -Direction, -Action and the other
#  enumerations as a ValidateSet of their documented names here)
function New-NetFirewallRule {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param(
    [string] $PolicyStore,
    [string] $GPOSession,
    [string] $Name,
    [Parameter(Mandatory = $true)] [string] $DisplayName,
    [string] $Description,
    [string] $Group,
    [ValidateSet('True', 'False')] [string] $Enabled,
    [ValidateSet('Any', 'Domain', 'Private', 'Public', 'NotApplicable')] [string[]] $Profile,
    [string[]] $Platform,
    [ValidateSet('Inbound', 'Outbound')] [string] $Direction,
    [ValidateSet('NotConfigured', 'Allow', 'Block')] [string] $Action,
    [ValidateSet('Block', 'Allow', 'DeferToUser', 'DeferToApp')] [string] $EdgeTraversalPolicy,
    [bool] $LooseSourceMapping,
    [bool] $LocalOnlyMapping,
    [string] $Owner,
    [string[]] $LocalAddress,
    [string[]] $RemoteAddress,
    [string] $Protocol,
    [string[]] $LocalPort,
    [string[]] $RemotePort,
    [string[]] $IcmpType,
    [ValidateSet('Any', 'ProximityApps', 'ProximitySharing', 'WifiDirectPrinting', 'WifiDirectDisplay', 'WifiDirectDevices')] [string] $DynamicTarget,
    [string] $Program,
    [string] $Package,
    [string] $Service,
    [string[]] $InterfaceAlias,
    [ValidateSet('Any', 'Wired', 'Wireless', 'RemoteAccess')] [string] $InterfaceType,
    [string] $LocalUser,
    [string] $RemoteUser,
    [string] $RemoteMachine,
    [ValidateSet('NotRequired', 'Required', 'NoEncap')] [string] $Authentication,
    [ValidateSet('NotRequired', 'Required', 'Dynamic')] [string] $Encryption,
    [bool] $OverrideBlockRules,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/netsecurity/remove-netfirewallrule (abridged to the sets by name and
# display name, and the pipeline's)
function Remove-NetFirewallRule {
  [CmdletBinding(DefaultParameterSetName = 'GetAll', SupportsShouldProcess = $true)]
  param(
    [Parameter(ParameterSetName = 'GetAll')] [switch] $All,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ByName')] [Alias('ID')] [string[]] $Name,
    [Parameter(Mandatory = $true, ParameterSetName = 'ByDisplayName')] [string[]] $DisplayName,
    [Parameter(Mandatory = $true, ValueFromPipeline = $true, ParameterSetName = 'InputObject')] [object[]] $InputObject,
    [string] $PolicyStore,
    [string] $GPOSession,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# --- Windows executables -----------------------------------------------------------------------------------

# https://learn.microsoft.com/windows-server/administration/windows-commands/klist
# A native program: no parameter binding, its arguments as they come.
function klist.exe {
  param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments)
  throw $script:Unmocked
}

# https://learn.microsoft.com/windows-server/networking/technologies/netsh/netsh-http
function netsh.exe {
  param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments)
  throw $script:Unmocked
}

# https://learn.microsoft.com/windows-server/administration/windows-commands/shutdown
# (exit code 1190, ERROR_SHUTDOWN_IS_SCHEDULED, when a shutdown is already scheduled)
function shutdown.exe {
  param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments)
  throw $script:Unmocked
}

# https://learn.microsoft.com/windows-server/administration/windows-commands/icacls
function icacls.exe {
  param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments)
  throw $script:Unmocked
}

# sc.exe qsidtype and sidtype: "run `sc sidtype IAS unrestricted`" ("Configure Firewalls for RADIUS Traffic",
# https://learn.microsoft.com/windows-server/networking/technologies/nps/nps-firewalls-configure; sc.exe,
# https://learn.microsoft.com/windows-server/administration/windows-commands/sc-config)
function sc.exe {
  param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments)
  throw $script:Unmocked
}

# https://learn.microsoft.com/windows-server/administration/windows-commands/certutil
function certutil.exe {
  param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments)
  throw $script:Unmocked
}

# --- CIM (module CimCmdlets) -----------------------------------------------------------------------------

# https://learn.microsoft.com/powershell/module/cimcmdlets/get-ciminstance (the ClassNameComputerSet parameter set)
function Get-CimInstance {
  [CmdletBinding(DefaultParameterSetName = 'ClassNameComputerSet')]
  param(
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ClassNameComputerSet')] [string] $ClassName,
    [string] $Namespace,
    [string] $Filter,
    [string[]] $Property,
    [string[]] $ComputerName,
    [uint32] $OperationTimeoutSec,
    [switch] $KeyOnly,
    [switch] $Shallow
  )
  throw $script:Unmocked
}

# --- Services, event log and scheduled tasks (Windows PowerShell 5.1 on the server) ------------------------

# https://learn.microsoft.com/powershell/module/microsoft.powershell.management/restart-service?view=powershell-5.1
# (-InputObject takes ServiceController[] objects: object[] here)
function Restart-Service {
  [CmdletBinding(DefaultParameterSetName = 'Default', SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Default', ValueFromPipelineByPropertyName = $true)] [string[]] $Name,
    [Parameter(Mandatory = $true, ParameterSetName = 'DisplayName')] [string[]] $DisplayName,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'InputObject', ValueFromPipeline = $true)] [object[]] $InputObject,
    [switch] $Force,
    [switch] $PassThru,
    [string[]] $Include,
    [string[]] $Exclude
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.powershell.management/get-service?view=powershell-5.1
# (Windows only: PowerShell on Linux has no Get-Service; -InputObject takes ServiceController[] objects: object[] here)
function Get-Service {
  [CmdletBinding(DefaultParameterSetName = 'Default')]
  param(
    [Parameter(Position = 0, ParameterSetName = 'Default', ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)] [Alias('ServiceName')] [string[]] $Name,
    [Parameter(Mandatory = $true, ParameterSetName = 'DisplayName')] [string[]] $DisplayName,
    [Parameter(ParameterSetName = 'InputObject', ValueFromPipeline = $true)] [object[]] $InputObject,
    [Parameter(ValueFromPipelineByPropertyName = $true)] [Alias('Cn')] [string[]] $ComputerName,
    [Alias('DS')] [switch] $DependentServices,
    [Alias('SDO', 'ServicesDependedOn')] [switch] $RequiredServices,
    [string[]] $Include,
    [string[]] $Exclude
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.powershell.management/new-eventlog?view=powershell-5.1
# (Windows PowerShell 5.1 only: PowerShell 7 has no *-EventLog cmdlets)
function New-EventLog {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true, Position = 0)] [string] $LogName,
    [Parameter(Mandatory = $true, Position = 1)] [string[]] $Source,
    [string[]] $ComputerName,
    [string] $CategoryResourceFile,
    [string] $MessageResourceFile,
    [string] $ParameterResourceFile
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.powershell.management/write-eventlog?view=powershell-5.1
# (-EntryType is an EventLogEntryType: its names as a ValidateSet here)
function Write-EventLog {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true, Position = 0)] [string] $LogName,
    [Parameter(Mandatory = $true, Position = 1)] [string] $Source,
    [Parameter(Position = 3)] [ValidateSet('Error', 'Information', 'FailureAudit', 'SuccessAudit', 'Warning')] [string] $EntryType,
    [int16] $Category,
    [Parameter(Mandatory = $true, Position = 2)] [ValidateRange(0, 65535)] [int] $EventId,
    [Parameter(Mandatory = $true, Position = 4)] [string] $Message,
    [byte[]] $RawData,
    [string] $ComputerName
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/scheduledtasks/get-scheduledtask
function Get-ScheduledTask {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)] [string[]] $TaskName,
    [Parameter(Position = 1)] [string[]] $TaskPath,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/scheduledtasks/start-scheduledtask
function Start-ScheduledTask {
  [CmdletBinding(DefaultParameterSetName = 'Query')]
  param(
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Query')] [string] $TaskName,
    [Parameter(Position = 1, ParameterSetName = 'Query')] [string] $TaskPath,
    [Parameter(Mandatory = $true, ValueFromPipeline = $true, ParameterSetName = 'InputObject')] [object] $InputObject,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/scheduledtasks/stop-scheduledtask
function Stop-ScheduledTask {
  [CmdletBinding(DefaultParameterSetName = 'Query')]
  param(
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Query')] [string] $TaskName,
    [Parameter(Position = 1, ParameterSetName = 'Query')] [string] $TaskPath,
    [Parameter(Mandatory = $true, ValueFromPipeline = $true, ParameterSetName = 'InputObject')] [object] $InputObject,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/scheduledtasks/new-scheduledtaskaction
function New-ScheduledTaskAction {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true, Position = 0)] [string] $Execute,
    [Parameter(Position = 1)] [string] $Argument,
    [Parameter(Position = 2)] [string] $WorkingDirectory,
    [string] $Id,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/scheduledtasks/new-scheduledtasktrigger
# (-DaysOfWeek is DayOfWeek[]: names here)
function New-ScheduledTaskTrigger {
  [CmdletBinding(DefaultParameterSetName = 'Once')]
  param(
    [timespan] $RandomDelay,
    [Parameter(Mandatory = $true, ParameterSetName = 'Once')]
    [Parameter(Mandatory = $true, ParameterSetName = 'Daily')]
    [Parameter(Mandatory = $true, ParameterSetName = 'Weekly')]
    [datetime] $At,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Once')] [switch] $Once,
    [Parameter(ParameterSetName = 'Once')] [timespan] $RepetitionDuration,
    [Parameter(ParameterSetName = 'Once')] [timespan] $RepetitionInterval,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Daily')] [switch] $Daily,
    [Parameter(ParameterSetName = 'Daily')] [uint32] $DaysInterval,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Weekly')] [switch] $Weekly,
    [Parameter(ParameterSetName = 'Weekly')] [ValidateSet('Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday')] [string[]] $DaysOfWeek,
    [Parameter(ParameterSetName = 'Weekly')] [uint32] $WeeksInterval,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Startup')] [switch] $AtStartup,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Logon')] [switch] $AtLogOn,
    [Parameter(ParameterSetName = 'Logon')] [string] $User,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/scheduledtasks/new-scheduledtaskprincipal
function New-ScheduledTaskPrincipal {
  [CmdletBinding(DefaultParameterSetName = 'User')]
  param(
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'User')] [string] $UserId,
    [Parameter(ParameterSetName = 'User')] [ValidateSet('None', 'Password', 'S4U', 'Interactive', 'Group', 'ServiceAccount', 'InteractiveOrPassword')] [string] $LogonType,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Group')] [string] $GroupId,
    [ValidateSet('Limited', 'Highest')] [string] $RunLevel,
    [ValidateSet('None', 'Unrestricted', 'Default')] [string] $ProcessTokenSidType,
    [string[]] $RequiredPrivilege,
    [string] $Id,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/scheduledtasks/new-scheduledtasksettingsset
function New-ScheduledTaskSettingsSet {
  [CmdletBinding()]
  param(
    [switch] $DisallowDemandStart,
    [switch] $DisallowHardTerminate,
    [ValidateSet('At', 'V1', 'Vista', 'Win7', 'Win8')] [string] $Compatibility,
    [timespan] $DeleteExpiredTaskAfter,
    [switch] $AllowStartIfOnBatteries,
    [switch] $Disable,
    [switch] $MaintenanceExclusive,
    [switch] $Hidden,
    [switch] $RunOnlyIfIdle,
    [timespan] $IdleWaitTimeout,
    [string] $NetworkId,
    [string] $NetworkName,
    [switch] $DisallowStartOnRemoteAppSession,
    [timespan] $MaintenancePeriod,
    [timespan] $MaintenanceDeadline,
    [switch] $StartWhenAvailable,
    [switch] $DontStopIfGoingOnBatteries,
    [switch] $WakeToRun,
    [timespan] $IdleDuration,
    [switch] $RestartOnIdle,
    [switch] $DontStopOnIdleEnd,
    [timespan] $ExecutionTimeLimit,
    [ValidateSet('Parallel', 'Queue', 'IgnoreNew')] [string] $MultipleInstances,
    [int] $Priority,
    [int] $RestartCount,
    [timespan] $RestartInterval,
    [switch] $RunOnlyIfNetworkAvailable,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/scheduledtasks/register-scheduledtask
# (-Action, -Trigger, -Settings, -Principal and -InputObject are CimInstance objects: object here)
function Register-ScheduledTask {
  [CmdletBinding(DefaultParameterSetName = 'User')]
  param(
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'User')]
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Principal')]
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Xml')]
    [Parameter(Position = 0, ParameterSetName = 'Object')]
    [string] $TaskName,
    [Parameter(Position = 1)] [string] $TaskPath,
    [Parameter(Mandatory = $true, Position = 2, ParameterSetName = 'User')]
    [Parameter(Mandatory = $true, Position = 2, ParameterSetName = 'Principal')]
    [object[]] $Action,
    [Parameter(Position = 3, ParameterSetName = 'User')]
    [Parameter(Position = 3, ParameterSetName = 'Principal')]
    [object[]] $Trigger,
    [Parameter(Position = 4, ParameterSetName = 'User')]
    [Parameter(Position = 4, ParameterSetName = 'Principal')]
    [object] $Settings,
    [Parameter(Position = 5, ParameterSetName = 'User')] [string] $User,
    [Parameter(Position = 6, ParameterSetName = 'User')] [string] $Password,
    [Parameter(ParameterSetName = 'User')] [ValidateSet('Limited', 'Highest')] [string] $RunLevel,
    [Parameter(Mandatory = $true, Position = 2, ParameterSetName = 'Principal')] [object] $Principal,
    [Parameter(Mandatory = $true, Position = 1, ParameterSetName = 'Xml')] [string] $Xml,
    [Parameter(Mandatory = $true, ValueFromPipeline = $true, ParameterSetName = 'Object')] [object] $InputObject,
    [string] $Description,
    [switch] $Force,
    [object[]] $CimSession,
    [int] $ThrottleLimit,
    [switch] $AsJob
  )
  throw $script:Unmocked
}


# --- HTTP.sys, as state (netsh http) -----------------------------------------------------------------------

<#
  HTTP.sys's SSL bindings as data: every field of every binding, in the order and words `netsh http show sslcert`
  prints them. A scenario mocks netsh.exe with Invoke-HttpSysNetsh, so that `show`, `add`, `update` and `delete`
  change and report this state as netsh does, and compares the bindings before and after (Get-HttpSysBinding).

  `add sslcert` and `update sslcert` write a whole binding: every parameter not given takes its default (the
  netsh http page, https://learn.microsoft.com/windows-server/networking/technologies/netsh/netsh-http: usagecheck
  "Default is enabled", dsmapperusage and clientcertnegotiation "Default is disabled", certstorename "Defaults to
  MY"; the others: the HTTP Server API's zero values, HTTP_SERVICE_CONFIG_SSL_PARAM,
  https://learn.microsoft.com/windows/win32/api/http/ns-http-http_service_config_ssl_param). The flags netsh
  shows after the documented ones (Reject Connections, Disable HTTP2, ...) have no documented parameter: a write
  sets them back to their first value, as a binding made by `add` shows them.
#>
$script:HttpSysFields = [ordered]@{
  'Certificate Hash'                                       = @{ Parameter = 'certhash'; Default = $null }
  'Application ID'                                         = @{ Parameter = 'appid'; Default = $null }
  'Certificate Store Name'                                 = @{ Parameter = 'certstorename'; Default = 'MY' }
  'Verify Client Certificate Revocation'                   = @{ Parameter = 'verifyclientcertrevocation'; Default = 'Enabled' }
  'Verify Revocation Using Cached Client Certificate Only' = @{ Parameter = 'verifyrevocationwithcachedclientcertonly'; Default = 'Disabled' }
  'Usage Check'                                            = @{ Parameter = 'usagecheck'; Default = 'Enabled' }
  'Revocation Freshness Time'                              = @{ Parameter = 'revocationfreshnesstime'; Default = '0' }
  'URL Retrieval Timeout'                                  = @{ Parameter = 'urlretrievaltimeout'; Default = '0' }
  'Ctl Identifier'                                         = @{ Parameter = 'sslctlidentifier'; Default = '(null)' }
  'Ctl Store Name'                                         = @{ Parameter = 'sslctlstorename'; Default = '(null)' }
  'DS Mapper Usage'                                        = @{ Parameter = 'dsmapperusage'; Default = 'Disabled' }
  'Negotiate Client Certificate'                           = @{ Parameter = 'clientcertnegotiation'; Default = 'Disabled' }
  'Reject Connections'                                     = @{ Parameter = $null; Default = 'Disabled' }
  'Disable HTTP2'                                          = @{ Parameter = $null; Default = 'Not Set' }
  'Disable QUIC'                                           = @{ Parameter = $null; Default = 'Not Set' }
  'Disable TLS1.2'                                         = @{ Parameter = $null; Default = 'Not Set' }
  'Disable TLS1.3'                                         = @{ Parameter = $null; Default = 'Not Set' }
  'Disable OCSP Stapling'                                  = @{ Parameter = $null; Default = 'Not Set' }
  'Enable Token Binding'                                   = @{ Parameter = $null; Default = 'Not Set' }
  'Log Extended Events'                                    = @{ Parameter = $null; Default = 'Not Set' }
  'Disable Legacy TLS Versions'                            = @{ Parameter = $null; Default = 'Not Set' }
  'Enable Session Ticket'                                  = @{ Parameter = $null; Default = 'Not Set' }
}
$script:HttpSys = [ordered]@{}

<# Empties HTTP.sys: no binding. #>
function Reset-HttpSys { $script:HttpSys = [ordered]@{} }

<# HTTP.sys's whole state, to keep one per server of a scenario with several (Save-HttpSys, then Restore-HttpSys). #>
function Save-HttpSys { , $script:HttpSys }
function Restore-HttpSys { param([Parameter(Mandatory = $true)] [System.Collections.Specialized.OrderedDictionary] $State) $script:HttpSys = $State }

<#
  Adds a binding as `netsh http add sslcert` would, then sets any field to another value (what AD FS or an
  administrator set with other parameters or other tools): -Field @{ 'Negotiate Client Certificate' = 'Enabled' }.
#>
function Add-HttpSysBinding {
  param(
    [Parameter(Mandatory = $true)] [string] $HostnamePort,
    [Parameter(Mandatory = $true)] [string] $CertificateHash,
    [Parameter(Mandatory = $true)] [string] $ApplicationId,
    [hashtable] $Field = @{}
  )
  $binding = [ordered]@{ 'Hostname:port' = $HostnamePort }
  foreach ($name in $script:HttpSysFields.Keys) { $binding[$name] = $script:HttpSysFields[$name].Default }
  $binding['Certificate Hash'] = $CertificateHash.ToLowerInvariant()
  $binding['Application ID'] = $ApplicationId
  foreach ($name in $Field.Keys) {
    if (-not $binding.Contains($name)) { throw "HTTP.sys model: no field '$name'" }
    $binding[$name] = [string]$Field[$name]
  }
  $script:HttpSys[$HostnamePort.ToLowerInvariant()] = $binding
}

<# Every binding (or one), each a copy of its fields: what `netsh http show sslcert` reports. #>
function Get-HttpSysBinding {
  param([string] $HostnamePort)
  $keys = if ($HostnamePort) { @($HostnamePort.ToLowerInvariant()) } else { @($script:HttpSys.Keys) }
  foreach ($key in $keys) {
    if ($script:HttpSys.Contains($key)) { $copy = [ordered]@{}; foreach ($f in $script:HttpSys[$key].Keys) { $copy[$f] = $script:HttpSys[$key][$f] }; $copy }
  }
}

<#
  netsh.exe http ... sslcert, on the model: the lines netsh writes, and $global:LASTEXITCODE as netsh sets it
  (1 with an error line for a missing binding or a parameter it does not know).
#>
function Invoke-HttpSysNetsh {
  param([string[]] $Arguments)
  $fail = { param($Line) $global:LASTEXITCODE = 1; return $Line }
  if ($Arguments.Count -lt 3 -or $Arguments[0] -ne 'http' -or $Arguments[2] -ne 'sslcert') { return & $fail ('The following command was not found: {0}.' -f ($Arguments -join ' ')) }
  $verb = $Arguments[1]
  $given = [ordered]@{}
  foreach ($argument in @($Arguments | Select-Object -Skip 3)) {
    if ($argument -notmatch '^([a-z0-9]+)=(.*)$') { return & $fail 'The parameter is incorrect.' }
    $given[$Matches[1]] = $Matches[2]
  }
  $key = if ($given.Contains('hostnameport')) { $given['hostnameport'].ToLowerInvariant() } else { $null }
  switch ($verb) {
    'show' {
      $keys = if ($key) { @($key) } else { @($script:HttpSys.Keys) }
      if ($key -and -not $script:HttpSys.Contains($key)) { return & $fail 'The system cannot find the file specified.' }
      $global:LASTEXITCODE = 0
      '', 'SSL Certificate bindings:', '-------------------------', ''
      foreach ($k in $keys) {
        foreach ($field in $script:HttpSys[$k].Keys) { '    {0,-28} : {1}' -f $field, $script:HttpSys[$k][$field] }
        ''
      }
      return
    }
    'delete' {
      if (-not $key -or -not $script:HttpSys.Contains($key)) { return & $fail 'SSL Certificate deletion failed, Error: 2' }
      $script:HttpSys.Remove($key)
      $global:LASTEXITCODE = 0
      return 'SSL Certificate successfully deleted'
    }
    { $_ -in 'add', 'update' } {
      if (-not $key -or -not $given.Contains('certhash') -or -not $given.Contains('appid')) { return & $fail 'The parameter is incorrect.' }
      $exists = $script:HttpSys.Contains($key)
      if ($verb -eq 'update' -and -not $exists) { return & $fail 'SSL Certificate update failed, Error: 2 The system cannot find the file specified.' }
      if ($verb -eq 'add' -and $exists) { return & $fail 'SSL Certificate add failed, Error: 183 Cannot create a file when that file already exists.' }
      $known = @('hostnameport') + @($script:HttpSysFields.Values | ForEach-Object { $_.Parameter } | Where-Object { $_ })
      foreach ($name in $given.Keys) { if ($name -notin $known) { return & $fail 'The parameter is incorrect.' } }
      $binding = [ordered]@{ 'Hostname:port' = $given['hostnameport'] }
      foreach ($field in $script:HttpSysFields.Keys) {
        $spec = $script:HttpSysFields[$field]
        $value = $spec.Default
        if ($spec.Parameter -and $given.Contains($spec.Parameter)) {
          $value = switch ($given[$spec.Parameter]) { 'enable' { 'Enabled' } 'disable' { 'Disabled' } default { $_ } }
        }
        $binding[$field] = $value
      }
      $binding['Certificate Hash'] = $binding['Certificate Hash'].ToLowerInvariant()
      $script:HttpSys[$key] = $binding
      $global:LASTEXITCODE = 0
      return ('SSL Certificate successfully {0}' -f $(if ($verb -eq 'add') { 'added' } else { 'updated' }))
    }
    default { return & $fail ('The following command was not found: http {0} sslcert.' -f $verb) }
  }
}

# --- Azure: the instance metadata service and Key Vault, as Invoke-RestMethod reaches them ---------------------
# Not a Windows command: Invoke-RestMethod exists everywhere. A scenario mocks it with Invoke-AzureStubRestMethod,
# which answers as the services do, from their state: the VM's user-assigned identities (IMDS tokens,
# https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token), the vaults' secrets
# and who may read each (Key Vault Secrets User on the secret; "Get Secret",
# https://learn.microsoft.com/rest/api/keyvault/secrets/get-secret/get-secret). Errors are thrown as PowerShell 7's
# Invoke-RestMethod throws them: an HttpResponseException whose Response carries the status code.

$script:Azure = $null

<# Forgets every identity, vault, fault and request. #>
function Reset-AzureStub {
  $script:Azure = @{
    Identities = @{}
    Vaults     = @{}
    Faults     = [System.Collections.Generic.Queue[int]]::new()
    Requests   = [System.Collections.Generic.List[object]]::new()
    Tokens     = 0
  }
}
Reset-AzureStub

<# A user-assigned identity of this VM, by its client id: IMDS gives tokens for it. #>
function Add-AzureStubIdentity {
  param([Parameter(Mandatory = $true)] [string] $ClientId)
  $script:Azure.Identities[$ClientId] = $true
}

<# A secret's value in a vault (its latest version). #>
function Set-AzureStubSecret {
  param([Parameter(Mandatory = $true)] [string] $VaultName, [Parameter(Mandatory = $true)] [string] $Name, [Parameter(Mandatory = $true)] [string] $Value)
  if (-not $script:Azure.Vaults.ContainsKey($VaultName)) { $script:Azure.Vaults[$VaultName] = @{ Secrets = @{}; Readers = @{} } }
  $script:Azure.Vaults[$VaultName].Secrets[$Name] = $Value
}

<# Key Vault Secrets User on one secret for one identity. #>
function Grant-AzureStubSecretReader {
  param([Parameter(Mandatory = $true)] [string] $VaultName, [Parameter(Mandatory = $true)] [string] $Name, [Parameter(Mandatory = $true)] [string] $ClientId)
  if (-not $script:Azure.Vaults.ContainsKey($VaultName)) { $script:Azure.Vaults[$VaultName] = @{ Secrets = @{}; Readers = @{} } }
  $script:Azure.Vaults[$VaultName].Readers[('{0}|{1}' -f $Name, $ClientId)] = $true
}

<# The next Key Vault requests answer these statuses, one each, whatever the state (throttling, a role still propagating). #>
function Add-AzureStubFault {
  param([Parameter(Mandatory = $true)] [int[]] $Status)
  foreach ($s in $Status) { $script:Azure.Faults.Enqueue($s) }
}

<# Every request so far: Service (imds or keyvault), Uri, ClientId, Status. #>
function Get-AzureStubRequest { @($script:Azure.Requests) }

function Stop-AzureStubRequest {
  param([int] $Status, [string] $Reason)
  $response = [System.Net.Http.HttpResponseMessage]::new([System.Net.HttpStatusCode]$Status)
  $exception = [Microsoft.PowerShell.Commands.HttpResponseException]::new(('Response status code does not indicate success: {0} ({1}).' -f $Status, $Reason), $response)
  throw [System.Management.Automation.ErrorRecord]::new($exception, 'WebCmdletWebResponseException,Microsoft.PowerShell.Commands.InvokeRestMethodCommand', 'InvalidOperation', $null)
}

<# What Invoke-RestMethod gets from IMDS or Key Vault for this request. #>
function Invoke-AzureStubRestMethod {
  param([string] $Method = 'Get', [uri] $Uri, [System.Collections.IDictionary] $Headers = @{})
  $query = @{}
  foreach ($pair in $Uri.Query.TrimStart('?').Split('&')) { if ($pair) { $kv = $pair.Split('=', 2); $query[$kv[0]] = [uri]::UnescapeDataString($kv[1]) } }
  if ($Uri.Host -eq '169.254.169.254') {
    $clientId = $query['client_id']
    $request = @{ Service = 'imds'; Uri = [string]$Uri; ClientId = $clientId; Status = 200 }
    $script:Azure.Requests.Add($request)
    if ($Method -ne 'Get' -or $Uri.AbsolutePath -ne '/metadata/identity/oauth2/token' -or $Headers['Metadata'] -ne 'true' -or -not $query['api-version']) { $request.Status = 400; Stop-AzureStubRequest -Status 400 -Reason 'Bad Request' }
    if (-not $clientId -or -not $script:Azure.Identities.ContainsKey($clientId)) { $request.Status = 400; Stop-AzureStubRequest -Status 400 -Reason 'Identity not found' }
    $script:Azure.Tokens++
    return [pscustomobject]@{ access_token = ('token|{0}|{1}|{2}' -f $clientId, $query['resource'], $script:Azure.Tokens); token_type = 'Bearer'; resource = $query['resource']; expires_in = '86399' }
  }
  if ($Uri.Host -match '^([a-z0-9-]+)\.vault\.azure\.net$') {
    $vault = $Matches[1]
    $authorization = [string]$Headers['Authorization']
    $token = if ($authorization -match '^Bearer token\|([^|]+)\|([^|]+)\|\d+$') { @{ ClientId = $Matches[1]; Resource = $Matches[2] } } else { $null }
    $request = @{ Service = 'keyvault'; Uri = [string]$Uri; ClientId = $(if ($token) { $token.ClientId } else { $null }); Status = 200 }
    $script:Azure.Requests.Add($request)
    if ($script:Azure.Faults.Count -gt 0) { $request.Status = $script:Azure.Faults.Dequeue(); Stop-AzureStubRequest -Status $request.Status -Reason 'Injected' }
    if (-not $script:Azure.Vaults.ContainsKey($vault)) { $request.Status = 0; throw ('No such host is known. ({0}:443)' -f $Uri.Host) }
    if ($null -eq $token -or $token.Resource -ne 'https://vault.azure.net' -or -not $query['api-version']) { $request.Status = 401; Stop-AzureStubRequest -Status 401 -Reason 'Unauthorized' }
    if ($Method -ne 'Get' -or $Uri.AbsolutePath -notmatch '^/secrets/([A-Za-z0-9-]+)$') { $request.Status = 400; Stop-AzureStubRequest -Status 400 -Reason 'Bad Request' }
    $name = $Matches[1]
    $state = $script:Azure.Vaults[$vault]
    if (-not $state.Readers.ContainsKey(('{0}|{1}' -f $name, $token.ClientId))) { $request.Status = 403; Stop-AzureStubRequest -Status 403 -Reason 'Forbidden' }
    if (-not $state.Secrets.ContainsKey($name)) { $request.Status = 404; Stop-AzureStubRequest -Status 404 -Reason 'Not Found' }
    return [pscustomobject]@{ value = $state.Secrets[$name]; id = ('https://{0}.vault.azure.net/secrets/{1}/0123456789abcdef' -f $vault, $name); attributes = [pscustomobject]@{ enabled = $true } }
  }
  throw ('the Azure stub knows no service at {0}' -f $Uri.Host)
}

Export-ModuleMember -Function *
