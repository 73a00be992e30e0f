<#
  The RADIUS side of the NPS servers (Run Command `nps-radius`): IAS's service SID, the registration in Active
  Directory, the RADIUS clients of nps.radiusClients with their shared secrets read from Key Vault by the server's
  identity, and one drained restart of IAS when anything changed. The server is the state of NpsServer.ps1; the
  scenarios compare states: fresh, already done, drifted, each step failing, and a second run.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $radius = Get-ScriptCase -Kind 'nps-radius'
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  . (Join-Path -Path $PSScriptRoot -ChildPath 'NpsServer.ps1')
  Register-NpsServerMocks

  function Invoke-Radius { param($Script) Invoke-GeneratedScript -Script $Script -Parameters @{ IdentityClientId = (Get-NpsIdentity) } }

  <# The clients the configuration names, as NpsServer.ps1's state lists them once configured. #>
  function Get-ConfiguredClients {
    param($Facts)
    @($Facts.nps.radiusClients | Sort-Object { $_.name } | ForEach-Object { '{0}|{1}|{2}-value|True' -f $_.name, $_.address, $_.secretName })
  }

  <# A server the script configured already: registered, IAS unrestricted, every client as configured. #>
  function Set-Configured {
    param($Facts)
    $global:Nps.SidType = 'UNRESTRICTED'
    $global:Nps.Members.Add($global:Nps.ComputerDn)
    foreach ($c in $Facts.nps.radiusClients) { $global:Nps.Clients.Add(@{ Name = $c.name; Address = $c.address; SharedSecret = ('{0}-value' -f $c.secretName); Enabled = $true }) }
    $global:Nps.Loaded = Get-NpsConfiguration
  }

  <#
    THE failure of each step, by its title's start: how to make it fail, and how to let it succeed again. A step the
    table does not know fails the property test below by name.
  #>
  $script:StepFailures = [ordered]@{
    'check that the Network Policy Server service (IAS) is installed' = @{ Break = { $global:Nps.Service.Installed = $false }; Repair = { $global:Nps.Service.Installed = $true } }
    'give IAS a service SID of its own'                                = @{ Break = { $global:Nps.Failures['sc-set'] = 'x' }; Repair = { $global:Nps.Failures.Remove('sc-set') } }
    'register this server in Active Directory'                          = @{ Break = { $global:Nps.Failures['netsh'] = 'Access is denied.' }; Repair = { $global:Nps.Failures.Remove('netsh') } }
    'make the RADIUS clients those of nps.radiusClients'               = @{ Break = { $global:Nps.Failures['new-client'] = 'The RPC server is unavailable.' }; Repair = { $global:Nps.Failures.Remove('new-client') } }
    'restart the Network Policy Server service (IAS) if anything changed' = @{ Break = { $global:Nps.Failures['restart'] = 'Service IAS cannot be stopped.' }; Repair = { $global:Nps.Failures.Remove('restart') } }
  }
}

AfterAll {
  Remove-Variable -Name Nps -Scope Global -ErrorAction SilentlyContinue
}

Describe 'nps-radius: <Name>' -ForEach $radius {
  BeforeAll {
    $facts = $Script.Facts
    $secrets = @($facts.nps.radiusClients | ForEach-Object { '{0}-value' -f $_.secretName })
  }

  Context 'on a fresh NPS server' {
    BeforeEach { Initialize-NpsServer -Script $Script }

    It 'registers the server, gives IAS its own SID, adds every client with its secret from Key Vault, and restarts IAS once, drained' {
      $run = Invoke-Radius -Script $Script
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      $state = Get-NpsState | ConvertFrom-Json
      $state.Configuration.Registered | Should -BeTrue
      $state.Configuration.SidType | Should -Be 'UNRESTRICTED'
      @($state.Configuration.Clients) | Should -Be (Get-ConfiguredClients -Facts $facts)
      $state.Service | Should -Be 'Running'
      $state.IasReadIt | Should -BeTrue
      $state.Draining | Should -BeFalse
      $state.RestartPending | Should -BeFalse
      # One restart, while the health endpoint answered 503 (the marker was there), after the probe had time to see it.
      $global:Nps.Service.Restarts | Should -Be 1
      @($global:Nps.Drained) | Should -Be @($true)
      $global:Nps.Slept | Should -BeGreaterOrEqual 75
      # The computer's tickets renewed after the registration, the domain and the server named to netsh.
      @($global:Nps.Log) | Should -Contain 'netsh registered'
      @($global:Nps.Log) | Should -Contain 'klist -li 0x3e7 purge'
    }

    It 'reads each secret with the NPS identity, from the vault and the secret the configuration names' {
      Invoke-Radius -Script $Script | Out-Null
      $reads = @(Get-AzureStubRequest | Where-Object { $_.Service -eq 'keyvault' })
      $reads.Count | Should -Be @($facts.nps.radiusClients).Count
      foreach ($client in $facts.nps.radiusClients) {
        @($reads | Where-Object { $_.Uri -like ('https://{0}.vault.azure.net/secrets/{1}?api-version=*' -f $client.vaultName, $client.secretName) -and $_.ClientId -eq (Get-NpsIdentity) -and $_.Status -eq 200 }).Count | Should -Be 1
      }
      @(Get-AzureStubRequest | Where-Object { $_.Service -eq 'imds' -and $_.ClientId -ne (Get-NpsIdentity) }) | Should -BeNullOrEmpty
    }

    It 'never writes a shared secret to its output, even though the cmdlets return them' {
      $run = Invoke-Radius -Script $Script
      foreach ($secret in $secrets) { $run.Text | Should -Not -Match ([regex]::Escape($secret)) }
    }

    It 'changes nothing on a second run: no restart, no client written' {
      Invoke-Radius -Script $Script | Out-Null
      $first = Get-NpsState
      $second = Invoke-Radius -Script $Script
      $second.ExitCode | Should -Be 0
      Get-NpsState | Should -Be $first
      $global:Nps.Service.Restarts | Should -Be 1
      $second.Text | Should -Match 'nothing changed: IAS keeps running'
      Should -Invoke New-NpsRadiusClient -Exactly -Times @($facts.nps.radiusClients).Count
      Should -Invoke Set-NpsRadiusClient -Exactly -Times 0
      Should -Invoke netsh.exe -Exactly -Times 1
    }
  }

  Context 'on a server configured already' {
    It 'exits 0 and changes nothing' {
      Initialize-NpsServer -Script $Script
      Set-Configured -Facts $facts
      $before = Get-NpsState
      $run = Invoke-Radius -Script $Script
      $run.ExitCode | Should -Be 0
      Get-NpsState | Should -Be $before
      $global:Nps.Service.Restarts | Should -Be 0
      Should -Invoke netsh.exe -Exactly -Times 0
      Should -Invoke New-NpsRadiusClient -Exactly -Times 0
      Should -Invoke Set-NpsRadiusClient -Exactly -Times 0
      Should -Invoke Remove-NpsRadiusClient -Exactly -Times 0
    }
  }

  Context 'when the server drifted from the configuration' {
    BeforeEach {
      Initialize-NpsServer -Script $Script
      Set-Configured -Facts $facts
      $first = $facts.nps.radiusClients[0]
    }

    It 'gives a client its rotated secret, and restarts IAS' {
      Set-AzureStubSecret -VaultName $first.vaultName -Name $first.secretName -Value 'rotated-Passw0rd'
      $run = Invoke-Radius -Script $Script
      $run.ExitCode | Should -Be 0
      ($global:Nps.Clients | Where-Object { $_.Name -eq $first.name }).SharedSecret | Should -BeExactly 'rotated-Passw0rd'
      $global:Nps.Service.Restarts | Should -Be 1
      $run.Text | Should -Match ('RADIUS client {0}: shared secret' -f [regex]::Escape($first.name))
      $run.Text | Should -Not -Match 'rotated-Passw0rd'
    }

    It 'moves a client back to its configured address and enables it' {
      $client = $global:Nps.Clients | Where-Object { $_.Name -eq $first.name }
      $client.Address = '192.0.2.7'
      $client.Enabled = $false
      (Invoke-Radius -Script $Script).ExitCode | Should -Be 0
      @((Get-NpsState | ConvertFrom-Json).Configuration.Clients) | Should -Be (Get-ConfiguredClients -Facts $facts)
    }

    It 'removes a client the configuration no longer names, and says so' {
      $global:Nps.Clients.Add(@{ Name = 'old-vpn'; Address = '198.51.100.0/24'; SharedSecret = 'x'; Enabled = $true })
      $run = Invoke-Radius -Script $Script
      $run.ExitCode | Should -Be 0
      @((Get-NpsState | ConvertFrom-Json).Configuration.Clients) | Should -Be (Get-ConfiguredClients -Facts $facts)
      $run.Text | Should -Match 'RADIUS client old-vpn removed: nps.radiusClients no longer names it'
    }
  }

  Context 'reading the shared secrets from Key Vault' {
    BeforeEach { Initialize-NpsServer -Script $Script; $first = $facts.nps.radiusClients[0] }

    It 'waits while the role assignment propagates (403, then 200)' {
      Add-AzureStubFault -Status 403, 403
      (Invoke-Radius -Script $Script).ExitCode | Should -Be 0
      @((Get-NpsState | ConvertFrom-Json).Configuration.Clients) | Should -Be (Get-ConfiguredClients -Facts $facts)
      Should -Invoke Start-Sleep -Exactly -Times 2 -ParameterFilter { $Seconds -eq 20 }
    }

    It 'waits while Key Vault throttles (429) or fails (503)' {
      Add-AzureStubFault -Status 429, 503
      (Invoke-Radius -Script $Script).ExitCode | Should -Be 0
    }

    It 'gives up after ten minutes of refusals, naming the vault, the secret, the identity and the role, and changes nothing' {
      $global:Nps.Failures.Clear()
      Reset-AzureStub
      Add-AzureStubIdentity -ClientId (Get-NpsIdentity)
      foreach ($c in $facts.nps.radiusClients) { Set-AzureStubSecret -VaultName $c.vaultName -Name $c.secretName -Value 'unread' }
      $run = Invoke-Radius -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('nps-radius failed at "make the RADIUS clients those of nps.radiusClients*": asking vault {0} for secret {1} (identity {2}): status 403, *: the identity needs Key Vault Secrets User on the secret, and the vault firewall must let this subnet in' -f $first.vaultName, $first.secretName, (Get-NpsIdentity))
      Should -Invoke Start-Sleep -Exactly -Times 30 -ParameterFilter { $Seconds -eq 20 }
      $global:Nps.Clients.Count | Should -Be 0
      $global:Nps.Service.Restarts | Should -Be 0
    }

    It 'fails at once when the secret does not exist' {
      Reset-AzureStub
      Add-AzureStubIdentity -ClientId (Get-NpsIdentity)
      Grant-AzureStubSecretReader -VaultName $first.vaultName -Name $first.secretName -ClientId (Get-NpsIdentity)
      Set-AzureStubSecret -VaultName $first.vaultName -Name 'another-secret' -Value 'x'
      $run = Invoke-Radius -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('*asking vault {0} for secret {1} (identity {2}): no such secret (404)' -f $first.vaultName, $first.secretName, (Get-NpsIdentity))
      Should -Invoke Start-Sleep -Exactly -Times 0 -ParameterFilter { $Seconds -eq 20 }
    }

    It 'fails naming the instance metadata service when the identity is not the server''s' {
      $run = Invoke-GeneratedScript -Script $Script -Parameters @{ IdentityClientId = '00000000-0000-0000-0000-000000000000' }
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike '*asking the instance metadata service for a token of identity 00000000-0000-0000-0000-000000000000: status 400*'
    }

    It 'gives each client exactly the secret Key Vault holds, whatever its characters' {
      # As many hostile secrets per run as the environment has clients.
      $clients = @($facts.nps.radiusClients)
      for ($i = 0; $i -lt $HostilePasswords.Count; $i += $clients.Count) {
        Initialize-NpsServer -Script $Script
        $given = @{}
        for ($j = 0; $j -lt $clients.Count; $j++) {
          $given[$clients[$j].name] = $HostilePasswords[($i + $j) % $HostilePasswords.Count]
          Set-AzureStubSecret -VaultName $clients[$j].vaultName -Name $clients[$j].secretName -Value $given[$clients[$j].name]
        }
        $run = Invoke-Radius -Script $Script
        $run.ExitCode | Should -Be 0 -Because ($given.Values -join ' | ')
        foreach ($c in $global:Nps.Clients) {
          $c.SharedSecret | Should -BeExactly $given[$c.Name]
          $run.Text.Contains($given[$c.Name]) | Should -BeFalse -Because $given[$c.Name]
        }
      }
    }
  }

  Context 'when a step fails' {
    BeforeEach { Initialize-NpsServer -Script $Script }

    It 'exits 1 naming netsh and its exit code when the registration fails, and restarts nothing' {
      $global:Nps.Failures['netsh'] = 'Access is denied.'
      $run = Invoke-Radius -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('nps-radius failed at "register this server in Active Directory ({0}, RAS and IAS Servers)": netsh nps add registeredserver failed (exit code 1): Access is denied.' -f $facts.domain)
      $global:Nps.Members.Count | Should -Be 0
      $global:Nps.Service.Restarts | Should -Be 0
    }

    It 'exits 1 naming sc.exe when the service SID cannot change' {
      $global:Nps.Failures['sc-set'] = 'x'
      $run = Invoke-Radius -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike '*sc.exe sidtype IAS unrestricted failed (exit code 5)*Access is denied.*'
    }

    It 'exits 1 and takes the server back into rotation when IAS does not run again' {
      $global:Nps.Service.StaysStopped = $true
      $run = Invoke-Radius -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike '*IAS did not run again within 120 s of its restart'
      Test-Path -LiteralPath (Get-DrainMarker) | Should -BeFalse
    }

    It 'reaches the state of a clean run once the failing step succeeds again, whichever step failed' {
      Initialize-NpsServer -Script $Script
      (Invoke-Radius -Script $Script).ExitCode | Should -Be 0
      $clean = Get-NpsState
      $steps = Get-ScriptStep -Script $Script
      $steps.Count | Should -Be $script:StepFailures.Count
      foreach ($title in $steps) {
        $failure = $script:StepFailures.Keys | Where-Object { $title.StartsWith($_) } | Select-Object -First 1
        $failure | Should -Not -BeNullOrEmpty -Because "the step ""$title"" needs a failure in the table of this file"
        Initialize-NpsServer -Script $Script
        & $script:StepFailures[$failure].Break
        $failed = Invoke-Radius -Script $Script
        $failed.ExitCode | Should -Be 1 -Because $title
        $failed.Error | Should -BeLike ('nps-radius failed at "{0}"*' -f [WildcardPattern]::Escape($title)) -Because $title
        & $script:StepFailures[$failure].Repair
        $again = Invoke-Radius -Script $Script
        $again.ExitCode | Should -Be 0 -Because $title
        Get-NpsState | Should -Be $clean -Because "a run after ""$title"" failed"
      }
    }
  }
}
