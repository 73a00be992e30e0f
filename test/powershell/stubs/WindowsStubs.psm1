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

# https://learn.microsoft.com/windows-server/administration/windows-commands/icacls
function icacls.exe {
  param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments)
  throw $script:Unmocked
}

# https://learn.microsoft.com/windows-server/administration/windows-commands/certutil
function certutil.exe {
  param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments)
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

# --- Hardening: AD FS properties, TLS, services, events, Windows LAPS (constructs/scripts/hardening.ts) ------

# https://learn.microsoft.com/powershell/module/adfs/get-adfsproperties
# (its output, Microsoft.IdentityServer.Management.Resources.ServiceProperties: the page lists the extranet lockout
# properties but not ExtranetLockoutMode, which the Extranet Smart Lockout page sets; the scripts read it only if present)
function Get-AdfsProperties {
  [CmdletBinding()]
  param()
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/adfs/set-adfsproperties
# (every parameter of the page, its one parameter set; ContactPerson and Organization are AD FS types: object here,
# PromptLoginFederation an enumeration: its names as a ValidateSet)
function Set-AdfsProperties {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param(
    [uri[]] $AcceptableIdentifiers,
    [string] $AddProxyAuthorizationRules,
    [bool] $AllowLocalAdminsServiceAdministration,
    [bool] $AllowSystemServiceAdministration,
    [string] $ArtifactDbConnection,
    [ValidateSet('None', 'Basic', 'Verbose')] [string[]] $AuditLevel,
    [uri[]] $AuthenticationContextOrder,
    [bool] $AutoCertificateRollover,
    [bool] $BrowserSsoEnabled,
    [string[]] $BrowserSsoSupportedUserAgents,
    [int] $CertificateCriticalThreshold,
    [int] $CertificateDuration,
    [int] $CertificateGenerationThreshold,
    [int] $CertificatePromotionThreshold,
    [int] $CertificateRolloverInterval,
    [int] $CertificateThresholdMultiplier,
    [ValidateSet('CheckChain', 'CheckChainCacheOnly', 'CheckChainExcludeRoot', 'CheckChainExcludeRootCacheOnly', 'CheckEndCert', 'CheckEndCertCacheOnly', 'None')] [string] $ClientCertRevocationCheck,
    [object] $ContactPerson,
    [string] $DelegateServiceAdministration,
    [int] $DeviceUsageWindowInDays,
    [string] $DisplayName,
    [bool] $EnableExtranetLockout,
    [bool] $EnableIdPInitiatedSignonPage,
    [bool] $EnableKmsi,
    [bool] $EnableLocalAuthenticationTypes,
    [bool] $EnableLoopDetection,
    [bool] $EnableOAuthDeviceFlow,
    [bool] $EnableOAuthLogout,
    [bool] $EnablePersistentSso,
    [bool] $EnableRelayStateForIdpInitiatedSignOn,
    [ValidateSet('Allow', 'Require', 'None')] [string] $ExtendedProtectionTokenCheck,
    [ValidateSet('ADPasswordCounter', 'ADFSSmartLockoutLogOnly', 'ADFSSmartLockoutEnforce')] [string] $ExtranetLockoutMode,
    [bool] $ExtranetLockoutRequirePDC,
    [int] $ExtranetLockoutThreshold,
    [timespan] $ExtranetObservationWindow,
    [string] $FederationPassiveAddress,
    [switch] $Force,
    [string] $GlobalRelyingPartyClaimsIssuancePolicy,
    [string] $HostName,
    [int] $HttpPort,
    [int] $HttpsPort,
    [uri] $Identifier,
    [uri] $IdTokenIssuer,
    [bool] $IgnoreTokenBinding,
    [bool] $IntranetUseLocalClaimsProvider,
    [int] $KmsiLifetimeMins,
    [ValidateSet('Errors', 'FailureAudits', 'Information', 'Verbose', 'None', 'SuccessAudits', 'Warnings')] [string[]] $LogLevel,
    [int] $LoopDetectionMaximumTokensIssuedInInterval,
    [int] $LoopDetectionTimeIntervalInSeconds,
    [int] $MonitoringInterval,
    [int] $NetTcpPort,
    [bool] $NtlmOnlySupportedClientAtProxy,
    [object] $OrganizationInfo,
    [switch] $PassThru,
    [datetime] $PersistentSsoCutoffTime,
    [int] $PersistentSsoLifetimeMins,
    [bool] $PreventTokenReplays,
    [string] $PromptLoginFallbackAuthenticationType,
    [ValidateSet('None', 'FallbackToProtocolSpecificParameters', 'ForwardPromptAndHintsOverWsFederation', 'Disabled')] [string] $PromptLoginFederation,
    [int] $ProxyTrustTokenLifetime,
    [int] $ReplayCacheExpirationInterval,
    [int] $SamlMessageDeliveryWindow,
    [bool] $SendClientRequestIdAsQueryStringParameter,
    [bool] $SignedSamlRequestsRequired,
    [bool] $SignSamlAuthnRequests,
    [bool] $SsoEnabled,
    [int] $SsoLifetime,
    [int] $TlsClientPort,
    [string[]] $WIASupportedUserAgents
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/tls/get-tlsciphersuite
function Get-TlsCipherSuite {
  [CmdletBinding()]
  param([Parameter(Position = 0)] [string] $Name)
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/tls/disable-tlsciphersuite
function Disable-TlsCipherSuite {
  [CmdletBinding(SupportsShouldProcess = $true)]
  param([Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)] [string] $Name)
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/cimcmdlets/get-ciminstance
# (the class-name sets; -CimSession is a CimSession[]: object[] here; the query and resource-URI sets are not used)
function Get-CimInstance {
  [CmdletBinding(DefaultParameterSetName = 'ClassNameComputerSet')]
  param(
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ClassNameComputerSet')]
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'ClassNameSessionSet')]
    [string] $ClassName,
    [Parameter(ParameterSetName = 'ClassNameComputerSet')] [string[]] $ComputerName,
    [Parameter(Mandatory = $true, ParameterSetName = 'ClassNameSessionSet')] [object[]] $CimSession,
    [string] $Namespace,
    [string] $Filter,
    [string[]] $Property,
    [switch] $KeyOnly,
    [switch] $Shallow,
    [uint32] $OperationTimeoutSec
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.powershell.management/get-service?view=powershell-5.1
# (-InputObject takes ServiceController[] objects: object[] here)
function Get-Service {
  [CmdletBinding(DefaultParameterSetName = 'Default')]
  param(
    [Parameter(Position = 0, ParameterSetName = 'Default', ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)] [string[]] $Name,
    [Parameter(Mandatory = $true, ParameterSetName = 'DisplayName')] [string[]] $DisplayName,
    [Parameter(ParameterSetName = 'InputObject', ValueFromPipeline = $true)] [object[]] $InputObject,
    [string[]] $ComputerName,
    [switch] $DependentServices,
    [switch] $RequiredServices,
    [string[]] $Include,
    [string[]] $Exclude
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/nettcpip/test-netconnection
function Test-NetConnection {
  [CmdletBinding(DefaultParameterSetName = 'ICMP')]
  param(
    [Parameter(Position = 0)] [string] $ComputerName,
    [Parameter(ParameterSetName = 'ICMP')] [switch] $TraceRoute,
    [Parameter(ParameterSetName = 'ICMP')] [int] $Hops,
    [Parameter(Mandatory = $true, ParameterSetName = 'CommonTCPPort')] [ValidateSet('HTTP', 'RDP', 'SMB', 'WINRM')] [string] $CommonTCPPort,
    [Parameter(Mandatory = $true, ParameterSetName = 'RemotePort')] [int] $Port,
    [Parameter(ParameterSetName = 'NetRouteDiagnostics')] [switch] $DiagnoseRouting,
    [Parameter(ParameterSetName = 'NetRouteDiagnostics')] [string] $ConstrainSourceAddress,
    [Parameter(ParameterSetName = 'NetRouteDiagnostics')] [uint32] $ConstrainInterface,
    [ValidateSet('Quiet', 'Detailed')] [string] $InformationLevel
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.powershell.diagnostics/get-winevent?view=powershell-5.1
# (the log-name and hashtable-query sets; -Credential is a PSCredential)
function Get-WinEvent {
  [CmdletBinding(DefaultParameterSetName = 'GetLogSet')]
  param(
    [Parameter(Position = 0, ParameterSetName = 'GetLogSet')] [string[]] $LogName,
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'HashQuerySet')] [hashtable[]] $FilterHashtable,
    [Parameter(ParameterSetName = 'GetLogSet')] [string] $FilterXPath,
    [long] $MaxEvents,
    [string] $ComputerName,
    [pscredential] $Credential,
    [switch] $Force,
    [switch] $Oldest
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/laps/invoke-lapspolicyprocessing
function Invoke-LapsPolicyProcessing {
  [CmdletBinding()]
  param()
  throw $script:Unmocked
}

# https://learn.microsoft.com/windows-server/administration/windows-commands/shutdown
function shutdown.exe {
  param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments)
  throw $script:Unmocked
}

# https://learn.microsoft.com/windows-server/administration/windows-commands/auditpol-get (and auditpol-set)
function auditpol.exe {
  param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments)
  throw $script:Unmocked
}

Export-ModuleMember -Function *
