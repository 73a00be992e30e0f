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

# --- IIS (module WebAdministration) ------------------------------------------------------------------------

# https://learn.microsoft.com/powershell/module/webadministration/get-webbinding
function Get-WebBinding {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)] [string] $Name,
    [string] $Protocol,
    [int] $Port,
    [string] $IPAddress,
    [string] $HostHeader
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/webadministration/new-webbinding
function New-WebBinding {
  [CmdletBinding(SupportsShouldProcess = $true)]
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

# --- Windows executables -----------------------------------------------------------------------------------

# https://learn.microsoft.com/windows-server/administration/windows-commands/klist
# A native program: no parameter binding, its arguments as they come.
function klist.exe {
  param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments)
  throw $script:Unmocked
}

Export-ModuleMember -Function *
