<#
  Who does MFA where on the AD FS farm (Run Command `entra-mfa-policy`, on the WID primary), at each stage of prod:
  the farm is the model of stubs/WindowsStubs.psm1, prepared by EntraMfaFarm.ps1 as MFA Server left it; what a user
  is offered is read by evaluating the rules the farm holds (Resolve-AdfsAdditionalAuthentication), and the farm's
  configuration is compared before and after (Get-AdfsFarmState).
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $policies = Get-ScriptCase -Kind 'entra-mfa-policy'
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  . (Join-Path -Path $PSScriptRoot -ChildPath 'EntraMfaFarm.ps1')

  <# The farm as MFA Server left it, configured for the tenant as entra-mfa-tenant leaves it, on its primary. #>
  function Initialize-ConfiguredFarm {
    param([Parameter(Mandatory = $true)] $Facts, [AllowEmptyString()] [string] $Adapter = 'WindowsAzureMultiFactorAuthentication')
    Initialize-EntraMfaFarm -Facts $Facts -Adapter $Adapter
    # The tenant of parallel: at mfa-server the file may leave it out.
    Set-AdfsAzureMfaTenant -TenantId $parallel.Facts.migration.tenantId -ClientId $AzureMfaClientId
  }

  <# The backup on the primary, where the script keeps it. #>
  function Get-BackupPath { Join-Path -Path $global:EntraMfaServers[(Get-AdfsFarmModel).Servers.Keys[0]] -ChildPath 'ProgramData/MFA-HA/entra-mfa/rules-backup.xml' }

  <# The calls of commands that change the farm, from call number -Since on. #>
  function Get-FarmWrite { param([int] $Since = 0) @((Get-AdfsFarmModel).Calls | Select-Object -Skip $Since | Where-Object { $_.Command -match '^(Set|Register|Unregister|New)-' }) }

  $parallel = Get-EntraMfaScript -Stage 'parallel' -Kind 'entra-mfa-policy'
  $entra = Get-EntraMfaScript -Stage 'entra' -Kind 'entra-mfa-policy'
  $undo = Get-EntraMfaScript -Stage 'mfa-server' -Kind 'entra-mfa-policy'
  $facts = $parallel.Facts
  $member = $facts.migration.groupSids[0]
}

AfterAll {
  Remove-Variable -Name EntraMfaServers -Scope Global -ErrorAction SilentlyContinue
}

Describe 'entra-mfa-policy anywhere but the WID primary: <Name>' -ForEach $policies {
  It 'refuses on a secondary server and changes nothing' {
    Initialize-ConfiguredFarm -Facts $Script.Facts
    $before = Get-AdfsFarmState
    Use-AdfsServer -Computer (Get-AdfsComputer -Facts $Script.Facts -Number 2) | Out-Null
    $run = Invoke-GeneratedScript -Script $Script
    $run.ExitCode | Should -Be 1
    $run.Error | Should -BeLike 'entra-mfa-policy failed at "check that this server is the primary of the WID farm": *SecondaryComputer*'
    Get-AdfsFarmState | Should -Be $before
  }
}

Describe 'entra-mfa-policy at stage parallel' {
  Context 'on the farm as MFA Server left it' {
    BeforeAll {
      Initialize-ConfiguredFarm -Facts $facts
      $before = Get-AdfsFarmState -WithoutServers
      $run = Invoke-GeneratedScript -Script $parallel
      $after = Get-AdfsFarmState -WithoutServers
    }

    It 'exits 0' {
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
    }

    It 'sends a member of a migration group to Entra MFA on every relying party' {
      foreach ($party in $RelyingPartyNames) { Get-OfferedProvider -GroupSids @($member) -RelyingParty $party | Should -Be $EntraMfaProvider -Because $party }
    }

    It 'leaves everyone else on the MFA Server adapter, under the name this farm registered' {
      foreach ($party in $RelyingPartyNames) { Get-OfferedProvider -GroupSids @($OtherSid) -RelyingParty $party | Should -Be 'WindowsAzureMultiFactorAuthentication' -Because $party }
    }

    It 'keeps when MFA is required: inside the corporate network only where a relying party always required it' {
      foreach ($party in $RelyingPartyNames) {
        $inside = Resolve-AdfsAdditionalAuthentication -GroupSids @($member) -RelyingParty $party -InsideCorporateNetwork $true
        $inside.MfaRequired | Should -Be ($party -in 'Payroll', 'Finance reports') -Because $party
      }
    }

    It 'offers both providers and keeps the adapter registered' {
      (Get-AdfsFarmModel).Additional | Sort-Object | Should -Be @($EntraMfaProvider, 'WindowsAzureMultiFactorAuthentication')
      (Get-AdfsFarmModel).Registered | Should -Contain 'WindowsAzureMultiFactorAuthentication'
    }

    It 'moves every relying party off its access control policy, each keeping what it required' {
      @((Get-AdfsFarmModel).RelyingParties.Values | Where-Object { $_.AccessControlPolicyName }).Count | Should -Be 0
      (Get-AdfsFarmModel).RelyingParties['Payroll'].AdditionalAuthenticationRules | Should -BeLike "$AlwaysMfaRule*"
      (Get-AdfsFarmModel).RelyingParties['Intranet wiki'].AdditionalAuthenticationRules | Should -BeNullOrEmpty
    }

    It 'kept the farm as it was in the backup before its first change' {
      $backup = Import-Clixml -LiteralPath (Get-BackupPath)
      $backup.AdditionalAuthenticationRules | Should -BeExactly $ExtranetMfaRule
      $backup.AdditionalAuthenticationProvider | Should -Be @('WindowsAzureMultiFactorAuthentication')
      $backup.MfaServerAdapter | Should -Be @('WindowsAzureMultiFactorAuthentication')
      ($backup.RelyingParties | Where-Object { $_.Name -eq 'Finance reports' }).AccessControlPolicyName | Should -Be 'Permit specific group and require MFA'
      ($backup.RelyingParties | Where-Object { $_.Name -eq 'Finance reports' }).AccessControlPolicyParameters.GroupParameter | Should -Be @('CONTOSO\finance')
      $before | Should -Not -Be $after
    }

    It 'changes nothing on a second run' {
      $calls = (Get-AdfsFarmModel).Calls.Count
      $second = Invoke-GeneratedScript -Script $parallel
      $second.ExitCode | Should -Be 0
      $second.Text | Should -Match 'kept: the backup taken at'
      Get-AdfsFarmState -WithoutServers | Should -Be $after
      Get-FarmWrite -Since $calls | Should -BeNullOrEmpty
    }
  }

  Context 'on a farm whose adapter is registered as AzureMfaServerAuthentication' {
    It 'names that adapter in the rules' {
      Initialize-ConfiguredFarm -Facts $facts -Adapter 'AzureMfaServerAuthentication'
      (Invoke-GeneratedScript -Script $parallel).ExitCode | Should -Be 0
      Get-OfferedProvider -GroupSids @($OtherSid) | Should -Be 'AzureMfaServerAuthentication'
      Get-OfferedProvider -GroupSids @($member) | Should -Be $EntraMfaProvider
      (Get-AdfsFarmModel).GlobalRules | Should -Not -Match 'WindowsAzureMultiFactorAuthentication'
    }
  }

  Context 'when the farm cannot take the group rules' {
    It 'refuses a farm without an MFA Server adapter, and changes no rule' {
      Initialize-ConfiguredFarm -Facts $facts -Adapter ''
      $before = Get-AdfsFarmState
      $run = Invoke-GeneratedScript -Script $parallel
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike '*no MFA Server adapter is registered in this farm (neither WindowsAzureMultiFactorAuthentication nor AzureMfaServerAuthentication)*'
      Get-AdfsFarmState | Should -Be $before
    }

    It 'refuses a farm with both adapters registered, naming them' {
      Initialize-ConfiguredFarm -Facts $facts
      Register-AdfsAuthenticationProvider -TypeName 'pfadfs.AuthenticationAdapter, MultiFactorAuthenticationAdfsAdapter' -Name 'AzureMfaServerAuthentication'
      $run = Invoke-GeneratedScript -Script $parallel
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike '*both WindowsAzureMultiFactorAuthentication and AzureMfaServerAuthentication are registered*'
    }

    It 'refuses a farm not configured for Microsoft Entra MFA' {
      Initialize-EntraMfaFarm -Facts $facts
      $run = Invoke-GeneratedScript -Script $parallel
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike '*AzureMfaAuthentication is not registered*entra-mfa-tenant*'
      (Get-AdfsFarmModel).Additional | Should -Be @('WindowsAzureMultiFactorAuthentication')
    }

    It 'refuses to take a backup of a farm that already carries its rules' {
      Initialize-ConfiguredFarm -Facts $facts
      (Invoke-GeneratedScript -Script $parallel).ExitCode | Should -Be 0
      Remove-Item -LiteralPath (Get-BackupPath)
      $run = Invoke-GeneratedScript -Script $parallel
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike '*the farm carries rules of this toolkit but *rules-backup.xml is missing*'
      Test-Path -LiteralPath (Get-BackupPath) | Should -BeFalse
    }
  }

  Context 'when a step fails' {
    It 'exits 1 naming the step, and a second run reaches the state of a clean run' {
      Initialize-ConfiguredFarm -Facts $facts
      (Invoke-GeneratedScript -Script $parallel).ExitCode | Should -Be 0
      $clean = Get-AdfsFarmState
      Initialize-ConfiguredFarm -Facts $facts
      Set-AdfsFarmFailure -Command 'Set-AdfsRelyingPartyTrust' -Skip 1 -Message 'MSIS7012: the configuration database is busy'
      $run = Invoke-GeneratedScript -Script $parallel
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike 'entra-mfa-policy failed at "move relying parties from access control policies to additional-authentication rules": MSIS7012*'
      (Invoke-GeneratedScript -Script $parallel).ExitCode | Should -Be 0
      Get-AdfsFarmState | Should -Be $clean
    }
  }
}

Describe 'entra-mfa-policy at stage entra' {
  Context 'after stage parallel' {
    BeforeAll {
      Initialize-ConfiguredFarm -Facts $facts
      $original = Get-AdfsFarmModel
      $originalRules = @{}
      foreach ($party in $original.RelyingParties.Values) { $originalRules[$party.Name] = @($party.AdditionalAuthenticationRules, $party.AccessControlPolicyName, ($party.AccessControlPolicyParameters | ConvertTo-Json -Compress -Depth 4)) }
      (Invoke-GeneratedScript -Script $parallel).ExitCode | Should -Be 0
      $run = Invoke-GeneratedScript -Script $entra
      $after = Get-AdfsFarmState -WithoutServers
    }

    It 'exits 0' {
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
    }

    It 'sends everyone to Entra MFA on every relying party' {
      foreach ($party in $RelyingPartyNames) {
        Get-OfferedProvider -GroupSids @($member) -RelyingParty $party | Should -Be $EntraMfaProvider -Because $party
        Get-OfferedProvider -GroupSids @($OtherSid) -RelyingParty $party | Should -Be $EntraMfaProvider -Because $party
      }
    }

    It 'puts the rules and access control policies back as the backup has them' {
      (Get-AdfsFarmModel).GlobalRules | Should -BeExactly $ExtranetMfaRule
      foreach ($party in (Get-AdfsFarmModel).RelyingParties.Values) {
        @($party.AdditionalAuthenticationRules, $party.AccessControlPolicyName, ($party.AccessControlPolicyParameters | ConvertTo-Json -Compress -Depth 4)) | Should -Be $originalRules[$party.Name] -Because $party.Name
      }
    }

    It 'offers Entra MFA alone and unregisters the MFA Server adapter' {
      (Get-AdfsFarmModel).Additional | Should -Be @($EntraMfaProvider)
      (Get-AdfsFarmModel).Registered | Should -Not -Contain 'WindowsAzureMultiFactorAuthentication'
    }

    It 'changes nothing on a second run' {
      $calls = (Get-AdfsFarmModel).Calls.Count
      $second = Invoke-GeneratedScript -Script $entra
      $second.ExitCode | Should -Be 0
      Get-AdfsFarmState -WithoutServers | Should -Be $after
      Get-FarmWrite -Since $calls | Should -BeNullOrEmpty
    }
  }

  Context 'the way back to parallel' {
    BeforeAll {
      Initialize-ConfiguredFarm -Facts $facts
      (Invoke-GeneratedScript -Script $parallel).ExitCode | Should -Be 0
      $atParallel = Get-AdfsFarmState -WithoutServers
      (Invoke-GeneratedScript -Script $entra).ExitCode | Should -Be 0
    }

    It 'refuses until the MFA Server adapter is registered again, naming the manual step, and changes nothing' {
      $before = Get-AdfsFarmState
      $run = Invoke-GeneratedScript -Script $parallel
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike '*the MFA Server adapter WindowsAzureMultiFactorAuthentication is not registered: stage entra removed it. Register it again*Register-MultiFactorAuthenticationAdfsAdapter.ps1*'
      Get-AdfsFarmState | Should -Be $before
    }

    It 'restores the parallel stage once an administrator registered the adapter again' {
      Register-AdfsAuthenticationProvider -TypeName 'pfadfs.AuthenticationAdapter, MultiFactorAuthenticationAdfsAdapter' -Name 'WindowsAzureMultiFactorAuthentication'
      (Invoke-GeneratedScript -Script $parallel).ExitCode | Should -Be 0
      Get-AdfsFarmState -WithoutServers | Should -Be $atParallel
    }
  }
}

Describe 'entra-mfa-policy at stage mfa-server' {
  Context 'a step back from parallel' {
    BeforeAll {
      Initialize-ConfiguredFarm -Facts $facts
      $beforeParallel = Get-AdfsFarmState -WithoutServers
      (Invoke-GeneratedScript -Script $parallel).ExitCode | Should -Be 0
      $run = Invoke-GeneratedScript -Script $undo
    }

    It 'exits 0' {
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
    }

    It 'puts the farm back as the backup has it: providers, rules, access control policies' {
      Get-AdfsFarmState -WithoutServers | Should -Be $beforeParallel
      Get-OfferedProvider -GroupSids @($member) | Should -Be 'WindowsAzureMultiFactorAuthentication'
    }

    It 'keeps the backup aside, so that a later move forward takes a fresh one' {
      Test-Path -LiteralPath (Get-BackupPath) | Should -BeFalse
      @(Get-ChildItem -Path (Split-Path -Path (Get-BackupPath) -Parent) -Filter 'rules-backup-restored-*.xml').Count | Should -Be 1
    }

    It 'has nothing to undo on a second run' {
      $second = Invoke-GeneratedScript -Script $undo
      $second.ExitCode | Should -Be 0
      $second.Text | Should -Match 'nothing to undo'
      Get-AdfsFarmState -WithoutServers | Should -Be $beforeParallel
    }
  }

  Context 'on a farm that never went to parallel' {
    It 'changes nothing' {
      Initialize-EntraMfaFarm -Facts $facts
      $before = Get-AdfsFarmState
      $run = Invoke-GeneratedScript -Script $undo
      $run.ExitCode | Should -Be 0
      $run.Text | Should -Match 'no backup and no rules of this toolkit: nothing to undo'
      Get-AdfsFarmState | Should -Be $before
    }
  }

  Context 'when the backup is missing but the rules of parallel are there' {
    It 'refuses, naming the file to restore, and changes nothing' {
      Initialize-ConfiguredFarm -Facts $facts
      (Invoke-GeneratedScript -Script $parallel).ExitCode | Should -Be 0
      Remove-Item -LiteralPath (Get-BackupPath)
      $before = Get-AdfsFarmState
      $run = Invoke-GeneratedScript -Script $undo
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike '*rules-backup.xml is missing: restore it from this server''s backup*'
      Get-AdfsFarmState | Should -Be $before
    }
  }
}
