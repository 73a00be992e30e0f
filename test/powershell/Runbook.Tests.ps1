<#
  The PowerShell of the migration runbook, as docs/migration.md gives it for prod at each stage (a jest test keeps
  that file the code's: test/tools/migration-runbook.test.ts). Every block parses; the Microsoft Graph steps run,
  stage after stage as an administrator would run them, against a tenant that keeps state: the stubs
  (stubs/GraphStubs.psm1) bind every call to the cmdlets' documented parameter sets, and the mocks answer as
  Graph does — a sign-in holds only the scopes it asked for, the rollout policy's feature reads as
  unknownFutureValue without the Prefer header, adding a reference twice fails.
#>

BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'RunbookBlocks.ps1')
  $blocks = @(Get-RunbookBlock)
}

Describe 'PowerShell parses every command of the migration runbook' {
  BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'RunbookBlocks.ps1')
  }

  It 'finds the Graph commands of every stage that has some' {
    $graph = @(Get-RunbookBlock | Where-Object { $_.Text -like 'Connect-MgGraph *' })
    @($graph | ForEach-Object { $_.Stage } | Sort-Object -Unique) | Should -Be @('entra', 'mfa-server', 'parallel')
  }

  It '<Name>' -ForEach $blocks {
    $tokens = $null
    $errors = $null
    $null = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref]$tokens, [ref]$errors)
    @($errors | ForEach-Object { 'line {0}: {1}' -f $_.Extent.StartLineNumber, $_.Message }) | Should -Be @()
  }
}

Describe 'the tenant steps of the runbook, against a tenant that keeps state' {
  BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'RunbookBlocks.ps1')
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'stubs/GraphStubs.psm1') -Force
    $blocks = @(Get-RunbookBlock | Where-Object { $_.Text -like 'Connect-MgGraph *' })
    # The stage fixtures of prod (test/config/fixtures.ts): its tenant, its migration group, its federation service.
    $tenantId = '11111111-2222-3333-4444-555555555555'
    $groupSid = 'S-1-5-21-1004336348-1177238915-682003330-1107'
    $mfaClient = '981f26a1-7f43-403b-a875-f8b09b8cd720'

    <#
      The Graph blocks of one stage, forward (before, after, done when) or its way back. At mfa-server the file
      need not name its tenant and groups yet: the runbook leaves those fields to fill, which the administrator
      does here.
    #>
    function Invoke-Stage([string] $Stage, [switch] $Back) {
      foreach ($b in $blocks | Where-Object { $_.Stage -eq $Stage -and (($_.Section -like 'The way back*') -eq [bool]$Back) }) {
        $text = $b.Text.Replace("'<migration.tenantId>'", "'$tenantId'").Replace("'<a SID of migration.groupSids>'", "'$groupSid'")
        $null = & ([scriptblock]::Create($text))
      }
    }
    function Assert-Scope([string[]] $Any) {
      if ($global:Tenant.Session.TenantId -ne $tenantId) { throw "signed in to tenant $($global:Tenant.Session.TenantId)" }
      if (-not @($Any | Where-Object { $global:Tenant.Session.Scopes -contains $_ })) { throw ('Insufficient privileges: needs {0}' -f ($Any -join ' or ')) }
    }

    Mock Connect-MgGraph { $global:Tenant.Session = @{ TenantId = $TenantId; Scopes = @($Scopes) } }
    Mock Get-MgDomain {
      Assert-Scope 'Domain.Read.All', 'Domain.ReadWrite.All', 'Directory.Read.All'
      $global:Tenant.Domains | ForEach-Object { [pscustomobject]@{ Id = $_.Id; AuthenticationType = $_.AuthenticationType } }
    }
    Mock Get-MgDomainFederationConfiguration {
      Assert-Scope 'Domain.Read.All', 'Domain-InternalFederation.ReadWrite.All', 'Domain.ReadWrite.All'
      $domain = $global:Tenant.Domains | Where-Object Id -eq $DomainId
      if ($domain.Federation) { [pscustomobject]$domain.Federation }
    }
    Mock Update-MgDomainFederationConfiguration {
      Assert-Scope 'Domain-InternalFederation.ReadWrite.All', 'Domain.ReadWrite.All'
      $federation = ($global:Tenant.Domains | Where-Object Id -eq $DomainId).Federation
      if ($federation.Id -ne $InternalDomainFederationId) { throw "no federation $InternalDomainFederationId on $DomainId" }
      $federation.FederatedIdpMfaBehavior = $FederatedIdpMfaBehavior
    }
    Mock Get-MgGroup {
      Assert-Scope 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All'
      if ($Filter -notmatch "^onPremisesSecurityIdentifier eq '(.+)'$") { throw "filter not modelled: $Filter" }
      $global:Tenant.Groups | Where-Object Sid -eq $Matches[1] | ForEach-Object { [pscustomobject]@{ Id = $_.Id } }
    }
    Mock New-MgGroup {
      Assert-Scope 'Group.ReadWrite.All'
      if ($MailEnabled -or -not $SecurityEnabled -or -not $MailNickname) { throw 'a security group needs -MailEnabled:$false, -SecurityEnabled and a mail nickname' }
      $group = @{ Id = 'group-{0}' -f ($global:Tenant.Groups.Count + 1); Sid = $null; DisplayName = $DisplayName; Members = @() }
      $global:Tenant.Groups += $group
      [pscustomobject]@{ Id = $group.Id }
    }
    Mock New-MgGroupMember {
      Assert-Scope 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All'
      $group = $global:Tenant.Groups | Where-Object Id -eq $GroupId
      if ($group.Members -contains $DirectoryObjectId) { throw 'One or more added object references already exist' }
      $group.Members += $DirectoryObjectId
    }
    Mock Get-MgPolicyFeatureRolloutPolicy {
      Assert-Scope 'Policy.Read.HybridAuthentication', 'Policy.ReadWrite.HybridAuthentication', 'Directory.ReadWrite.All'
      # multiFactorAuthentication is an evolvable enum member: without the header Graph returns unknownFutureValue.
      $known = $null -ne $Headers -and $Headers['Prefer'] -eq 'include-unknown-enum-members'
      foreach ($p in $global:Tenant.Policies) {
        [pscustomobject]@{
          Id = $p.Id; DisplayName = $p.DisplayName; IsEnabled = $p.IsEnabled
          Feature = if ($known) { $p.Feature } else { 'unknownFutureValue' }
          AppliesTo = if ($ExpandProperty -contains 'appliesTo') { @($p.AppliesTo | ForEach-Object { [pscustomobject]@{ Id = $_ } }) } else { @() }
        }
      }
    }
    Mock New-MgPolicyFeatureRolloutPolicy {
      Assert-Scope 'Directory.ReadWrite.All', 'Policy.ReadWrite.HybridAuthentication'
      if (@($global:Tenant.Policies | Where-Object Feature -eq $Feature)) { throw "a rollout policy of $Feature exists" }
      $policy = @{ Id = 'policy-{0}' -f ($global:Tenant.Policies.Count + 1); DisplayName = $DisplayName; Feature = $Feature; IsEnabled = [bool]$IsEnabled; Organization = [bool]$IsAppliedToOrganization; AppliesTo = @() }
      $global:Tenant.Policies += $policy
      [pscustomobject]@{ Id = $policy.Id; AppliesTo = @() }
    }
    Mock New-MgPolicyFeatureRolloutPolicyApplyToByRef {
      Assert-Scope 'Policy.ReadWrite.HybridAuthentication', 'Directory.ReadWrite.All'
      if ($OdataId -notmatch '^https://graph\.microsoft\.com/v1\.0/directoryObjects/(.+)$') { throw "not a directory object reference: $OdataId" }
      $policy = $global:Tenant.Policies | Where-Object Id -eq $FeatureRolloutPolicyId
      if ($policy.AppliesTo -contains $Matches[1]) { throw 'One or more added object references already exist' }
      $policy.AppliesTo += $Matches[1]
    }
    Mock Update-MgPolicyFeatureRolloutPolicy {
      Assert-Scope 'Policy.ReadWrite.HybridAuthentication', 'Directory.ReadWrite.All'
      ($global:Tenant.Policies | Where-Object Id -eq $FeatureRolloutPolicyId).IsEnabled = [bool]$IsEnabled
    }
    Mock Get-MgServicePrincipal {
      if ($Filter -notmatch "^appId eq '(.+)'$") { throw "filter not modelled: $Filter" }
      $global:Tenant.ServicePrincipals | Where-Object AppId -eq $Matches[1] | ForEach-Object { [pscustomobject]$_ }
    }
    Mock New-MgServicePrincipal {
      Assert-Scope 'Application.ReadWrite.All'
      $global:Tenant.ServicePrincipals += @{ AppId = $AppId; DisplayName = $DisplayName }
    }
    Mock Get-MgAuditLogDirectoryAudit {
      Assert-Scope 'AuditLog.Read.All'
      if ($Filter -notmatch "^initiatedBy/app/displayName eq '(.+)'$") { throw "filter not modelled: $Filter" }
      $global:Tenant.Audit | Where-Object App -eq $Matches[1] | ForEach-Object { [pscustomobject]@{ TargetResources = @([pscustomobject]@{ UserPrincipalName = $_.User }) } }
    }
    Mock Get-MgRoleManagementDirectoryRoleDefinition { [pscustomobject]@{ Id = 'role-application-administrator' } }
    Mock New-MgRoleManagementDirectoryRoleAssignment {
      Assert-Scope 'RoleManagement.ReadWrite.Directory'
      $global:Tenant.RoleAssignments += @{ Role = $RoleDefinitionId; Scope = $DirectoryScopeId }
    }
  }

  BeforeEach {
    # A tenant at stage mfa-server: the farm's domain and a domain of another federation service, the migration
    # group synchronized from AD, two users the Migration Utility wrote, no Azure Multi-Factor Auth Client yet.
    $global:Tenant = @{
      Session           = $null
      Domains           = @(
        @{ Id = 'contoso.com'; AuthenticationType = 'Federated'; Federation = @{ Id = 'federation-1'; PassiveSignInUri = 'https://sts.contoso.com/adfs/ls/'; FederatedIdpMfaBehavior = $null } },
        @{ Id = 'fabrikam.com'; AuthenticationType = 'Federated'; Federation = @{ Id = 'federation-2'; PassiveSignInUri = 'https://sts.fabrikam.com/adfs/ls/'; FederatedIdpMfaBehavior = $null } },
        @{ Id = 'contoso.onmicrosoft.com'; AuthenticationType = 'Managed'; Federation = $null }
      )
      Groups            = @(@{ Id = 'group-wave-1'; Sid = $groupSid; DisplayName = 'MFA-Migration-prod-1'; Members = @() })
      Policies          = @()
      ServicePrincipals = @()
      RoleAssignments   = @()
      Audit             = @(@{ App = 'Azure MFA Management'; User = 'ada@contoso.com' }, @{ App = 'Azure MFA Management'; User = 'alan@contoso.com' }, @{ App = 'Microsoft Entra Connect'; User = 'grace@contoso.com' })
    }
  }

  AfterAll {
    Remove-Variable -Name Tenant -Scope Global -ErrorAction SilentlyContinue
  }

  It 'through parallel: the MFA client exists, Microsoft Entra ID sends MFA to this farm only, Staged Rollout holds the migration group' {
    Invoke-Stage 'mfa-server'
    Invoke-Stage 'parallel'
    @($global:Tenant.ServicePrincipals.AppId) | Should -Be @($mfaClient)
    $global:Tenant.Domains[0].Federation.FederatedIdpMfaBehavior | Should -Be 'enforceMfaByFederatedIdp'
    $global:Tenant.Domains[1].Federation.FederatedIdpMfaBehavior | Should -BeNullOrEmpty
    $global:Tenant.Policies.Count | Should -Be 1
    $global:Tenant.Policies[0].Feature | Should -Be 'multiFactorAuthentication'
    $global:Tenant.Policies[0].IsEnabled | Should -BeTrue
    $global:Tenant.Policies[0].Organization | Should -BeFalse
    @($global:Tenant.Policies[0].AppliesTo) | Should -Be @('group-wave-1')
    # the Migration Utility's group is another group, holding the migration group
    $utility = $global:Tenant.Groups | Where-Object DisplayName -eq 'MFA Server Migration Utility (prod)'
    @($utility.Members) | Should -Be @('group-wave-1')
  }

  It 'run a second time, the steps of parallel change nothing and fail nowhere' {
    Invoke-Stage 'mfa-server'
    Invoke-Stage 'parallel'
    $before = $global:Tenant.Policies | ConvertTo-Json -Depth 5
    Invoke-Stage 'parallel'
    $global:Tenant.Policies | ConvertTo-Json -Depth 5 | Should -Be $before
    @($global:Tenant.ServicePrincipals).Count | Should -Be 1
  }

  It 'the way back from parallel turns Staged Rollout off and keeps its groups' {
    Invoke-Stage 'mfa-server'
    Invoke-Stage 'parallel'
    Invoke-Stage 'parallel' -Back
    $global:Tenant.Policies[0].IsEnabled | Should -BeFalse
    @($global:Tenant.Policies[0].AppliesTo) | Should -Be @('group-wave-1')
  }

  It 'at entra, Microsoft Entra ID performs every MFA of this farm\''s domains; the way back enforces federated MFA again' {
    Invoke-Stage 'mfa-server'
    Invoke-Stage 'parallel'
    Invoke-Stage 'entra'
    $global:Tenant.Domains[0].Federation.FederatedIdpMfaBehavior | Should -Be 'rejectMfaByFederatedIdp'
    $global:Tenant.Domains[1].Federation.FederatedIdpMfaBehavior | Should -BeNullOrEmpty
    Invoke-Stage 'entra' -Back
    $global:Tenant.Domains[0].Federation.FederatedIdpMfaBehavior | Should -Be 'enforceMfaByFederatedIdp'
  }
}
