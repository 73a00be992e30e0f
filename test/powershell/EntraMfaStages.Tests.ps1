<#
  prod's AD FS farm walked through the migration stages, every Run Command of a stage in the order Terraform
  runs them (Get-EntraMfaRunOrder: the certificates, the tenant, the restarts and the policy), on the model of
  stubs/WindowsStubs.psm1: forward to parallel and entra, and back. Then the property of every deploy: whichever
  call fails, the deploy stops there, and the next deploy (from the Run Command that failed on) reaches the state
  of a clean one.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  # The scripts of prod at each stage: the walk below runs them all (the kinds' own scenarios are in the files beside).
  $null = Get-ScriptCase -Kind 'entra-mfa-policy'
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  . (Join-Path -Path $PSScriptRoot -ChildPath 'EntraMfaFarm.ps1')

  $facts = (Get-EntraMfaScript -Stage 'parallel' -Kind 'entra-mfa-policy').Facts
  $member = $facts.migration.groupSids[0]

  <# Deploys a stage and fails the test, naming the Run Command, when a script fails. #>
  function Deploy-Stage {
    param([string] $Stage)
    $results = @(Invoke-EntraMfaDeploy -Stage $Stage)
    $failed = @($results | Where-Object { $_.ExitCode -ne 0 })
    if ($failed.Count -gt 0) { throw ('{0} on adfs-{1} failed: {2}' -f $failed[0].Script, $failed[0].Server, $failed[0].Text) }
    $results
  }

  <# Every restart of the farm in time order: server, tick, who else was down. #>
  function Get-RestartLog {
    @((Get-AdfsFarmModel).Servers.Values | ForEach-Object { $name = $_.Name; $_.Restarts | ForEach-Object { [pscustomobject]@{ Server = $name; Tick = $_.Tick; OthersDown = @($_.OthersDown) } } } | Sort-Object -Property Tick)
  }

  <#
    The farm's configuration, apart from the servers and the tenant: a step back leaves the farm configured for
    the tenant (no cmdlet removes it), and so AzureMfaAuthentication registered.
  #>
  function Get-PolicyState {
    $state = Get-AdfsFarmState -WithoutServers | ConvertFrom-Json
    $state.Registered = @($state.Registered | Where-Object { $_ -ne $EntraMfaProvider })
    $state | Select-Object -Property * -ExcludeProperty Tenant | ConvertTo-Json -Depth 6
  }

  <# The farm's state with the certificates each server holds and records: how many, which generations. #>
  function Get-DeployState {
    $servers = foreach ($name in (Get-AdfsFarmModel).Servers.Keys) {
      $record = Join-Path -Path $global:EntraMfaServers[$name] -ChildPath 'ProgramData/MFA-HA/entra-mfa/tenant-certificates.txt'
      '{0}: {1} certificates, generations {2}' -f $name, (Get-AdfsFarmServer -Name $name).Store.Count, ((@(Get-Content -LiteralPath $record -ErrorAction SilentlyContinue) | ForEach-Object { $_.Split(' ')[0] }) -join ',')
    }
    (Get-AdfsFarmState) + ($servers -join "`n")
  }
}

AfterAll {
  Remove-Variable -Name EntraMfaServers -Scope Global -ErrorAction SilentlyContinue
}

# One block, no Context: TestDrive, where each server keeps its records, lasts for the whole walk.
Describe 'prod from mfa-server to entra and back' {
  BeforeAll {
    Initialize-EntraMfaFarm -Facts $facts
    $atMfaServer = Get-PolicyState
  }

  It 'parallel: sends the migration group to Entra MFA and everyone else to MFA Server' {
    Deploy-Stage -Stage 'parallel' | Out-Null
    $script:atParallel = Get-PolicyState
    foreach ($party in $RelyingPartyNames) {
      Get-OfferedProvider -GroupSids @($member) -RelyingParty $party | Should -Be $EntraMfaProvider -Because $party
      Get-OfferedProvider -GroupSids @($OtherSid) -RelyingParty $party | Should -Be 'WindowsAzureMultiFactorAuthentication' -Because $party
    }
  }

  It 'parallel: restarted every server once, one at a time, before the rules sent anyone to Entra MFA' {
    $restarts = Get-RestartLog
    $restarts.Server | Should -Be @($facts.computers.adfs | ForEach-Object { $_.ToUpperInvariant() })
    foreach ($restart in $restarts) { $restart.OthersDown | Should -BeNullOrEmpty -Because $restart.Server }
    $firstRule = @((Get-AdfsFarmModel).Calls | Where-Object { $_.Command -eq 'Set-AdfsAdditionalAuthenticationRule' })[0].Tick
    $restarts[-1].Tick | Should -BeLessOrEqual $firstRule
    foreach ($server in (Get-AdfsFarmModel).Servers.Values) { $server.Loaded | Should -Be (Get-AdfsFarmConfiguration) -Because $server.Name }
  }

  It 'parallel: gave every server a tenant certificate of its own' {
    $thumbprints = @((Get-AdfsFarmModel).Servers.Values | ForEach-Object { @($_.Store)[0].Thumbprint })
    $thumbprints | Should -HaveCount $facts.computers.adfs.Count
    @($thumbprints | Sort-Object -Unique) | Should -HaveCount $facts.computers.adfs.Count
  }

  It 'entra: sends everyone to Entra MFA, with the rules of the backup and without the MFA Server adapter' {
    $script:restartsBefore = (Get-RestartLog).Count
    Deploy-Stage -Stage 'entra' | Out-Null
    foreach ($party in $RelyingPartyNames) { Get-OfferedProvider -GroupSids @($OtherSid) -RelyingParty $party | Should -Be $EntraMfaProvider -Because $party }
    (Get-AdfsFarmModel).GlobalRules | Should -BeExactly $ExtranetMfaRule
    (Get-AdfsFarmModel).Registered | Should -Not -Contain 'WindowsAzureMultiFactorAuthentication'
  }

  It 'entra: restarted every server once more, one at a time, after the adapter was unregistered' {
    $restarts = @(Get-RestartLog | Select-Object -Skip $script:restartsBefore)
    $restarts.Server | Should -Be @($facts.computers.adfs | ForEach-Object { $_.ToUpperInvariant() })
    foreach ($restart in $restarts) { $restart.OthersDown | Should -BeNullOrEmpty -Because $restart.Server }
    $unregistered = @((Get-AdfsFarmModel).Calls | Where-Object { $_.Command -eq 'Unregister-AdfsAuthenticationProvider' })[0].Tick
    $restarts[0].Tick | Should -BeGreaterOrEqual $unregistered
    foreach ($server in (Get-AdfsFarmModel).Servers.Values) { $server.Loaded | Should -Be (Get-AdfsFarmConfiguration) -Because $server.Name }
  }

  It 'entra: renewed every server''s tenant certificate (generation 2), keeping generation 1 beside it' {
    foreach ($server in (Get-AdfsFarmModel).Servers.Values) { @($server.Store).Count | Should -Be 2 -Because $server.Name }
  }

  It 'back to parallel: refused until the adapter is registered again, then the rules and providers of parallel' {
    @(Invoke-EntraMfaDeploy -Stage 'parallel')[-1].Text | Should -Match 'Register it again'
    # The administrator's step: MFA Server's Register-MultiFactorAuthenticationAdfsAdapter.ps1.
    Register-AdfsAuthenticationProvider -TypeName 'pfadfs.AuthenticationAdapter, MultiFactorAuthenticationAdfsAdapter' -Name 'WindowsAzureMultiFactorAuthentication'
    Deploy-Stage -Stage 'parallel' | Out-Null
    Get-PolicyState | Should -Be $script:atParallel
    foreach ($server in (Get-AdfsFarmModel).Servers.Values) { $server.Loaded | Should -Be (Get-AdfsFarmConfiguration) -Because $server.Name }
  }

  It 'back to mfa-server: the rules and providers of mfa-server' {
    Deploy-Stage -Stage 'mfa-server' | Out-Null
    Get-PolicyState | Should -Be $atMfaServer
    Get-OfferedProvider -GroupSids @($member) | Should -Be 'WindowsAzureMultiFactorAuthentication'
  }
}

Describe 'a deploy that fails at any step, then runs again: <_>' -ForEach @('parallel', 'entra') {
  BeforeAll {
    $Stage = $_
    Initialize-EntraMfaFarm -Facts $facts
    if ($Stage -eq 'entra') { Deploy-Stage -Stage 'parallel' | Out-Null }
    # A clean deploy, saving the farm before each Run Command: a failed deploy starts from there.
    $saved = @{}
    $deploy = @(Invoke-EntraMfaDeploy -Stage $Stage -Before { param($i) $saved[$i] = Save-EntraMfaFarm })
    @($deploy | Where-Object { $_.ExitCode -ne 0 }) | Should -BeNullOrEmpty
    $clean = Get-DeployState
    # Where to fail: each command that changes the farm or a server, in each kind of Run Command, at its last call
    # in the last Run Command of that kind (the Run Commands before it done, the calls before it in that one made).
    $points = @()
    foreach ($result in $deploy) {
      $writes = @($result.Calls | Where-Object { $_.Command -match '^(Set|New|Register|Unregister|Restart|Remove)-' } | ForEach-Object { $_.Command })
      foreach ($command in @($writes | Select-Object -Unique)) {
        $laterOfKind = @($deploy | Where-Object { $_.Index -gt $result.Index -and $_.Script -eq $result.Script -and @($_.Calls | Where-Object { $_.Command -eq $command }).Count -gt 0 })
        if ($laterOfKind.Count -eq 0) { $points += @{ Index = $result.Index; Script = $result.Script; Command = $command; Skip = @($writes | Where-Object { $_ -eq $command }).Count - 1 } }
      }
    }
  }

  It 'reaches the state of a clean deploy, whichever step fails' {
    $points.Count | Should -BeGreaterOrEqual 5
    foreach ($point in $points) {
      $because = '{0} #{1} in {2} failed' -f $point.Command, ($point.Skip + 1), $point.Script
      Restore-EntraMfaFarm -Saved $saved[$point.Index]
      Set-AdfsFarmFailure -Command $point.Command -Skip $point.Skip -Message ('injected: {0}' -f $because)
      $first = @(Invoke-EntraMfaDeploy -Stage $Stage -From $point.Index)
      $first[-1].ExitCode | Should -Be 1 -Because $because
      $first[-1].Text | Should -Match ([regex]::Escape("injected: $because")) -Because $because
      $again = @(Invoke-EntraMfaDeploy -Stage $Stage -From $first[-1].Index)
      @($again | Where-Object { $_.ExitCode -ne 0 }) | Should -BeNullOrEmpty -Because $because
      Get-DeployState | Should -Be $clean -Because $because
    }
  }
}
