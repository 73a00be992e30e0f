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

Export-ModuleMember -Function *
