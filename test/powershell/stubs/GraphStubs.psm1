<#
  Stubs of the Microsoft Graph PowerShell cmdlets the migration runbook (tools/migration/, docs/migration.md)
  tells an administrator to run. Each declares the parameter sets, names and types of the real cmdlet as its
  Microsoft Learn page gives them (cited beside it; parameters the runbook never uses, such as the HTTP pipeline
  and proxy ones, are left out), so that PowerShell's binding judges every call of the runbook: a wrong name, a
  missing mandatory argument or a switch given a value it cannot take fails the test. Graph's model types are
  given as the nearest type PowerShell knows ([object], [hashtable]).

  Every stub throws: Runbook.Tests.ps1 mocks them with a tenant that keeps state.
#>

Set-StrictMode -Version Latest

$script:Unmocked = 'stub: mock me'

# https://learn.microsoft.com/powershell/module/microsoft.graph.authentication/connect-mggraph
function Connect-MgGraph {
  [CmdletBinding(DefaultParameterSetName = 'UserParameterSet')]
  param(
    [Parameter(Position = 0, ParameterSetName = 'UserParameterSet')] [string[]] $Scopes,
    [Parameter(Position = 1, ParameterSetName = 'UserParameterSet')]
    [Parameter(ParameterSetName = 'AppCertificateParameterSet')] [string] $TenantId,
    [Parameter(ParameterSetName = 'UserParameterSet')]
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'AppCertificateParameterSet')] [string] $ClientId,
    [Parameter(Position = 2, ParameterSetName = 'AppCertificateParameterSet')] [string] $CertificateThumbprint,
    [string] $Environment,
    [Parameter(ParameterSetName = 'UserParameterSet')] [switch] $UseDeviceCode,
    [switch] $NoWelcome
  )
  throw $script:Unmocked
}

# --- Staged Rollout (Microsoft.Graph.Identity.SignIns) -----------------------------------------------------

# https://learn.microsoft.com/powershell/module/microsoft.graph.identity.signins/get-mgpolicyfeaturerolloutpolicy
function Get-MgPolicyFeatureRolloutPolicy {
  [CmdletBinding(DefaultParameterSetName = 'List')]
  param(
    [Parameter(Mandatory = $true, ParameterSetName = 'Get')] [string] $FeatureRolloutPolicyId,
    [Alias('Expand')] [string[]] $ExpandProperty,
    [Alias('Select')] [string[]] $Property,
    [Parameter(ParameterSetName = 'List')] [string] $Filter,
    [Parameter(ParameterSetName = 'List')] [int] $Top,
    [Parameter(ParameterSetName = 'List')] [switch] $All,
    [System.Collections.IDictionary] $Headers
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.graph.identity.signins/new-mgpolicyfeaturerolloutpolicy
function New-MgPolicyFeatureRolloutPolicy {
  [CmdletBinding(DefaultParameterSetName = 'CreateExpanded', SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true, ParameterSetName = 'Create')] [object] $BodyParameter,
    [Parameter(ParameterSetName = 'CreateExpanded')] [hashtable] $AdditionalProperties,
    [Parameter(ParameterSetName = 'CreateExpanded')] [object[]] $AppliesTo,
    [Parameter(ParameterSetName = 'CreateExpanded')] [string] $Description,
    [Parameter(ParameterSetName = 'CreateExpanded')] [string] $DisplayName,
    [Parameter(ParameterSetName = 'CreateExpanded')] [string] $Feature,
    [Parameter(ParameterSetName = 'CreateExpanded')] [string] $Id,
    [Parameter(ParameterSetName = 'CreateExpanded')] [switch] $IsAppliedToOrganization,
    [Parameter(ParameterSetName = 'CreateExpanded')] [switch] $IsEnabled,
    [System.Collections.IDictionary] $Headers
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.graph.identity.signins/update-mgpolicyfeaturerolloutpolicy
function Update-MgPolicyFeatureRolloutPolicy {
  [CmdletBinding(DefaultParameterSetName = 'UpdateExpanded', SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true, ParameterSetName = 'UpdateExpanded')]
    [Parameter(Mandatory = $true, ParameterSetName = 'Update')] [string] $FeatureRolloutPolicyId,
    [Parameter(Mandatory = $true, ParameterSetName = 'Update')] [object] $BodyParameter,
    [Parameter(ParameterSetName = 'UpdateExpanded')] [object[]] $AppliesTo,
    [Parameter(ParameterSetName = 'UpdateExpanded')] [string] $Description,
    [Parameter(ParameterSetName = 'UpdateExpanded')] [string] $DisplayName,
    [Parameter(ParameterSetName = 'UpdateExpanded')] [string] $Feature,
    [Parameter(ParameterSetName = 'UpdateExpanded')] [switch] $IsAppliedToOrganization,
    [Parameter(ParameterSetName = 'UpdateExpanded')] [switch] $IsEnabled,
    [System.Collections.IDictionary] $Headers
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.graph.identity.signins/new-mgpolicyfeaturerolloutpolicyapplytobyref
function New-MgPolicyFeatureRolloutPolicyApplyToByRef {
  [CmdletBinding(DefaultParameterSetName = 'CreateExpanded', SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true, ParameterSetName = 'CreateExpanded')]
    [Parameter(Mandatory = $true, ParameterSetName = 'Create')] [string] $FeatureRolloutPolicyId,
    [Parameter(Mandatory = $true, ParameterSetName = 'CreateExpanded')] [string] $OdataId,
    [Parameter(Mandatory = $true, ParameterSetName = 'Create')] [object] $BodyParameter,
    [Parameter(ParameterSetName = 'CreateExpanded')] [hashtable] $AdditionalProperties,
    [switch] $PassThru,
    [System.Collections.IDictionary] $Headers
  )
  throw $script:Unmocked
}

# --- Domains (Microsoft.Graph.Identity.DirectoryManagement) ------------------------------------------------

# https://learn.microsoft.com/powershell/module/microsoft.graph.identity.directorymanagement/get-mgdomain
function Get-MgDomain {
  [CmdletBinding(DefaultParameterSetName = 'List')]
  param(
    [Parameter(Mandatory = $true, ParameterSetName = 'Get')] [string] $DomainId,
    [Alias('Select')] [string[]] $Property,
    [Parameter(ParameterSetName = 'List')] [string] $Filter,
    [Parameter(ParameterSetName = 'List')] [switch] $All,
    [System.Collections.IDictionary] $Headers
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.graph.identity.directorymanagement/get-mgdomainfederationconfiguration
function Get-MgDomainFederationConfiguration {
  [CmdletBinding(DefaultParameterSetName = 'List')]
  param(
    [Parameter(Mandatory = $true, ParameterSetName = 'List')]
    [Parameter(Mandatory = $true, ParameterSetName = 'Get')] [string] $DomainId,
    [Parameter(Mandatory = $true, ParameterSetName = 'Get')] [string] $InternalDomainFederationId,
    [Alias('Select')] [string[]] $Property,
    [Parameter(ParameterSetName = 'List')] [string] $Filter,
    [Parameter(ParameterSetName = 'List')] [switch] $All,
    [System.Collections.IDictionary] $Headers
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.graph.identity.directorymanagement/update-mgdomainfederationconfiguration
function Update-MgDomainFederationConfiguration {
  [CmdletBinding(DefaultParameterSetName = 'UpdateExpanded', SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true, ParameterSetName = 'UpdateExpanded')]
    [Parameter(Mandatory = $true, ParameterSetName = 'Update')] [string] $DomainId,
    [Parameter(Mandatory = $true, ParameterSetName = 'UpdateExpanded')]
    [Parameter(Mandatory = $true, ParameterSetName = 'Update')] [string] $InternalDomainFederationId,
    [Parameter(Mandatory = $true, ParameterSetName = 'Update')] [object] $BodyParameter,
    [Parameter(ParameterSetName = 'UpdateExpanded')] [string] $DisplayName,
    [Parameter(ParameterSetName = 'UpdateExpanded')] [string] $FederatedIdpMfaBehavior,
    [Parameter(ParameterSetName = 'UpdateExpanded')] [string] $PassiveSignInUri,
    [Parameter(ParameterSetName = 'UpdateExpanded')] [string] $SigningCertificate,
    [System.Collections.IDictionary] $Headers
  )
  throw $script:Unmocked
}

# --- Groups, applications, roles, audit log ----------------------------------------------------------------

# https://learn.microsoft.com/powershell/module/microsoft.graph.groups/get-mggroup
function Get-MgGroup {
  [CmdletBinding(DefaultParameterSetName = 'List')]
  param(
    [Parameter(Mandatory = $true, ParameterSetName = 'Get')] [string] $GroupId,
    [Alias('Select')] [string[]] $Property,
    [Parameter(ParameterSetName = 'List')] [string] $Filter,
    [Parameter(ParameterSetName = 'List')] [switch] $All,
    [Parameter(ParameterSetName = 'List')] [string] $ConsistencyLevel,
    [System.Collections.IDictionary] $Headers
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.graph.groups/new-mggroup
function New-MgGroup {
  [CmdletBinding(DefaultParameterSetName = 'CreateExpanded', SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true, ParameterSetName = 'Create')] [object] $BodyParameter,
    [Parameter(ParameterSetName = 'CreateExpanded')] [string] $Description,
    [Parameter(ParameterSetName = 'CreateExpanded')] [string] $DisplayName,
    [Parameter(ParameterSetName = 'CreateExpanded')] [string[]] $GroupTypes,
    [Parameter(ParameterSetName = 'CreateExpanded')] [switch] $MailEnabled,
    [Parameter(ParameterSetName = 'CreateExpanded')] [string] $MailNickname,
    [Parameter(ParameterSetName = 'CreateExpanded')] [switch] $SecurityEnabled,
    [System.Collections.IDictionary] $Headers
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.graph.groups/new-mggroupmember
function New-MgGroupMember {
  [CmdletBinding(DefaultParameterSetName = 'Create', SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true)] [string] $GroupId,
    [Parameter(Mandatory = $true)] [string] $DirectoryObjectId,
    [System.Collections.IDictionary] $Headers
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.graph.applications/get-mgserviceprincipal
function Get-MgServicePrincipal {
  [CmdletBinding(DefaultParameterSetName = 'List')]
  param(
    [Parameter(Mandatory = $true, ParameterSetName = 'Get')] [string] $ServicePrincipalId,
    [Alias('Select')] [string[]] $Property,
    [Parameter(ParameterSetName = 'List')] [string] $Filter,
    [Parameter(ParameterSetName = 'List')] [switch] $All,
    [System.Collections.IDictionary] $Headers
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.graph.applications/new-mgserviceprincipal
function New-MgServicePrincipal {
  [CmdletBinding(DefaultParameterSetName = 'CreateExpanded', SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true, ParameterSetName = 'Create')] [object] $BodyParameter,
    [Parameter(ParameterSetName = 'CreateExpanded')] [switch] $AccountEnabled,
    [Parameter(ParameterSetName = 'CreateExpanded')] [string] $AppId,
    [Parameter(ParameterSetName = 'CreateExpanded')] [string] $DisplayName,
    [System.Collections.IDictionary] $Headers
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.graph.identity.governance/get-mgrolemanagementdirectoryroledefinition
function Get-MgRoleManagementDirectoryRoleDefinition {
  [CmdletBinding(DefaultParameterSetName = 'List')]
  param(
    [Parameter(Mandatory = $true, ParameterSetName = 'Get')] [string] $UnifiedRoleDefinitionId,
    [Parameter(ParameterSetName = 'List')] [string] $Filter,
    [Parameter(ParameterSetName = 'List')] [switch] $All,
    [System.Collections.IDictionary] $Headers
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.graph.identity.governance/new-mgrolemanagementdirectoryroleassignment
function New-MgRoleManagementDirectoryRoleAssignment {
  [CmdletBinding(DefaultParameterSetName = 'CreateExpanded', SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true, ParameterSetName = 'Create')] [object] $BodyParameter,
    [Parameter(ParameterSetName = 'CreateExpanded')] [string] $AppScopeId,
    [Parameter(ParameterSetName = 'CreateExpanded')] [string] $Condition,
    [Parameter(ParameterSetName = 'CreateExpanded')] [string] $DirectoryScopeId,
    [Parameter(ParameterSetName = 'CreateExpanded')] [string] $PrincipalId,
    [Parameter(ParameterSetName = 'CreateExpanded')] [string] $RoleDefinitionId,
    [System.Collections.IDictionary] $Headers
  )
  throw $script:Unmocked
}

# https://learn.microsoft.com/powershell/module/microsoft.graph.reports/get-mgauditlogdirectoryaudit
function Get-MgAuditLogDirectoryAudit {
  [CmdletBinding(DefaultParameterSetName = 'List')]
  param(
    [Parameter(Mandatory = $true, ParameterSetName = 'Get')] [string] $DirectoryAuditId,
    [Alias('Select')] [string[]] $Property,
    [Parameter(ParameterSetName = 'List')] [string] $Filter,
    [Parameter(ParameterSetName = 'List')] [int] $Top,
    [Parameter(ParameterSetName = 'List')] [switch] $All,
    [System.Collections.IDictionary] $Headers
  )
  throw $script:Unmocked
}
