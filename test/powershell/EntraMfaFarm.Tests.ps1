<#
  The farm-wide half of AD FS with Microsoft Entra MFA: the tenant, once per farm on the WID primary
  (Run Command `entra-mfa-tenant`), and the restart of AD FS on each server, one at a time (`entra-mfa-restart`).
  The farm is the model of stubs/WindowsStubs.psm1: its tenant, its behaviour level, each server's service, the
  configuration it loaded when it last started, its probe and the clock.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $tenants = Get-ScriptCase -Kind 'entra-mfa-tenant'
  $restarts = Get-ScriptCase -Kind 'entra-mfa-restart'
  # The restart scripts differ by server only in the server's name and its peers': each server's runs in the farm's
  # scenario below, the second server's (a peer on either side) through every case.
  $middle = @($restarts | Where-Object { $_.Script.Addresses[0] -like '*_adfs-2_*' })
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  . (Join-Path -Path $PSScriptRoot -ChildPath 'EntraMfaFarm.ps1')

  <# The server id (adfs-2) a restart script belongs to, from its Run Command's address. #>
  function Get-ServerNumber { param($Script) [int]([regex]::Match($Script.Addresses[0], '_adfs-(\d+)_').Groups[1].Value) }

  <# Calls of a command on the farm. #>
  function Get-FarmCall { param([string] $Command) @((Get-AdfsFarmModel).Calls | Where-Object { $_.Command -eq $Command }) }
}

AfterAll {
  Remove-Variable -Name EntraMfaServers -Scope Global -ErrorAction SilentlyContinue
}

Describe 'entra-mfa-tenant: <Name>' -ForEach $tenants {
  BeforeAll {
    $facts = $Script.Facts
    $tenant = $facts.migration.tenantId
    $groups = $facts.migration.stage -eq 'parallel'
  }

  Context 'on the primary of a farm not yet configured for Entra MFA' {
    BeforeAll {
      Initialize-EntraMfaFarm -Facts $facts
      $run = Invoke-GeneratedScript -Script $Script
    }

    It 'configures the farm for the tenant and the Azure Multi-Factor Auth Client, once' {
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      (Get-AdfsFarmModel).Tenant.TenantId | Should -Be $tenant
      (Get-AdfsFarmModel).Tenant.ClientId | Should -Be $AzureMfaClientId
      Get-FarmCall -Command 'Set-AdfsAzureMfaTenant' | Should -HaveCount 1
    }

    It 'leaves every server to restart: none runs with the tenant yet' {
      foreach ($server in (Get-AdfsFarmModel).Servers.Values) { $server.Loaded | Should -Not -Be (Get-AdfsFarmConfiguration) }
    }

    It 'changes nothing on a second run' {
      $second = Invoke-GeneratedScript -Script $Script
      $second.ExitCode | Should -Be 0
      $second.Text | Should -Match 'already configured for this tenant and client'
      Get-FarmCall -Command 'Set-AdfsAzureMfaTenant' | Should -HaveCount 1
    }
  }

  Context 'on a farm configured for another tenant, or with the tenant as a domain name' {
    It 'configures it for this one' {
      Initialize-EntraMfaFarm -Facts $facts
      Set-AdfsAzureMfaTenant -TenantId 'contoso.onmicrosoft.com' -ClientId $AzureMfaClientId
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      (Get-AdfsFarmModel).Tenant.TenantId | Should -Be $tenant
    }
  }

  Context 'on a farm at behaviour level 3 (AD FS 2016)' {
    It 'refuses where the stage chooses the provider by group, naming the documented raise, and otherwise configures it' {
      Initialize-EntraMfaFarm -Facts $facts -FarmBehavior 3
      $run = Invoke-GeneratedScript -Script $Script
      if ($groups) {
        $run.ExitCode | Should -Be 1
        $run.Error | Should -BeLike 'entra-mfa-tenant failed at "check the farm behaviour level*": the farm behaviour level is 3*Test-AdfsFarmBehaviorLevelRaise, then Invoke-AdfsFarmBehaviorLevelRaise on the primary*'
        (Get-AdfsFarmModel).Tenant | Should -BeNullOrEmpty
        (Get-AdfsFarmModel).FarmBehavior | Should -Be 3
      } else {
        $run.ExitCode | Should -Be 0
        (Get-AdfsFarmModel).Tenant.TenantId | Should -Be $tenant
      }
    }
  }

  Context 'anywhere but the primary' {
    It 'refuses and changes nothing' {
      Initialize-EntraMfaFarm -Facts $facts
      Use-AdfsServer -Computer (Get-AdfsComputer -Facts $facts -Number 3) | Out-Null
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike '*this server is the farm''s SecondaryComputer*'
      (Get-AdfsFarmModel).Tenant | Should -BeNullOrEmpty
    }
  }

  Context 'when a step fails' {
    It 'exits 1 naming the step when Set-AdfsAzureMfaTenant fails, and a second run configures the farm' {
      Initialize-EntraMfaFarm -Facts $facts
      Set-AdfsFarmFailure -Command 'Set-AdfsAzureMfaTenant' -Message 'MSIS7012: the configuration database is busy'
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('entra-mfa-tenant failed at "configure the farm for tenant {0} *": MSIS7012*' -f $tenant)
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      (Get-AdfsFarmModel).Tenant.TenantId | Should -Be $tenant
    }
  }
}

Describe 'entra-mfa-restart: <Name>' -ForEach $middle {
  BeforeAll {
    $facts = $Script.Facts
    $number = Get-ServerNumber -Script $Script
    $me = Get-AdfsComputer -Facts $facts -Number $number
    $peers = @(1..$facts.computers.adfs.Count | Where-Object { $_ -ne $number } | ForEach-Object { Get-AdfsComputer -Facts $facts -Number $_ })

    <# A farm just configured for the tenant: every server must restart. #>
    function Initialize-ConfiguredFarm {
      Initialize-EntraMfaFarm -Facts $facts
      Set-AdfsAzureMfaTenant -TenantId $facts.migration.tenantId -ClientId $AzureMfaClientId
      Use-AdfsServer -Computer $me | Out-Null
    }
  }

  Context 'on a server that has not restarted since the farm changed' {
    BeforeAll {
      Initialize-ConfiguredFarm
      $run = Invoke-GeneratedScript -Script $Script
    }

    It 'restarts AD FS once, while every other server answers, and returns once it answers again' {
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      $restarts = (Get-AdfsFarmServer -Name $me).Restarts
      $restarts | Should -HaveCount 1
      $restarts[0].OthersDown | Should -BeNullOrEmpty
      (Get-AdfsFarmServer -Name $me).Loaded | Should -Be (Get-AdfsFarmConfiguration)
      (Get-AdfsFarmServer -Name $me).DownUntil | Should -BeLessOrEqual (Get-AdfsFarmModel).Tick -Because 'the script waits for its own probe'
    }

    It 'restarts no other server' {
      foreach ($peer in $peers) { (Get-AdfsFarmServer -Name $peer).Restarts | Should -BeNullOrEmpty }
    }

    It 'changes nothing on a second run' {
      $second = Invoke-GeneratedScript -Script $Script
      $second.ExitCode | Should -Be 0
      $second.Text | Should -Match 'AD FS already runs with this configuration here'
      (Get-AdfsFarmServer -Name $me).Restarts | Should -HaveCount 1
    }
  }

  Context 'while another server is down' {
    It 'waits until it answers, then restarts' {
      Initialize-ConfiguredFarm
      (Get-AdfsFarmServer -Name $peers[0]).DownUntil = 45
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      $restart = (Get-AdfsFarmServer -Name $me).Restarts[0]
      $restart.Tick | Should -BeGreaterOrEqual 45
      $restart.OthersDown | Should -BeNullOrEmpty
    }

    It 'fails without restarting when it does not answer within 15 minutes' {
      # The deadline on the model's clock, which Start-Sleep moves: five minutes a wait here, to reach it in few turns.
      Mock Get-Date { Get-AdfsFarmDate }
      Mock Start-Sleep { Step-AdfsFarmClock -Seconds 300 }
      Initialize-ConfiguredFarm
      (Get-AdfsFarmServer -Name $peers[-1]).DownUntil = 3600
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('entra-mfa-restart failed at "wait until every other AD FS server answers its probe": {0}* did not answer on /adfs/probe within 15 minutes: not restarting a second server while one is down' -f $peers[-1].ToLowerInvariant())
      (Get-AdfsFarmServer -Name $me).Restarts | Should -BeNullOrEmpty
    }
  }

  Context 'when the certificate script replaced an expired certificate here' {
    It 'restarts even though the configuration did not change, once' {
      Initialize-ConfiguredFarm
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      Set-Content -LiteralPath (Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA/entra-mfa/restart-pending') -Value 'expired tenant certificate replaced'
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      $run.Text | Should -Match 'expired tenant certificate replaced'
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      (Get-AdfsFarmServer -Name $me).Restarts | Should -HaveCount 2
    }
  }

  Context 'when a step fails' {
    It 'exits 1 naming the step when AD FS cannot restart, and a second run restarts it' {
      Initialize-ConfiguredFarm
      Set-AdfsFarmFailure -Command 'Restart-Service' -Message 'Service ''Active Directory Federation Services (adfssrv)'' cannot be started.'
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike 'entra-mfa-restart failed at "restart AD FS (adfssrv)": Service*cannot be started.'
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      (Get-AdfsFarmServer -Name $me).Loaded | Should -Be (Get-AdfsFarmConfiguration)
    }
  }
}

Describe 'entra-mfa-restart on the farm: <_>' -ForEach @('parallel', 'entra') {
  It 'restarts the servers one after the other, each while all the others answer' {
    $Stage = $_
    $first = Get-EntraMfaScript -Stage $Stage -Kind 'entra-mfa-restart' -Server 'adfs-1'
    $facts = $first.Facts
    Initialize-EntraMfaFarm -Facts $facts
    Set-AdfsAzureMfaTenant -TenantId $facts.migration.tenantId -ClientId $AzureMfaClientId
    foreach ($n in 1..$facts.computers.adfs.Count) {
      Use-AdfsServer -Computer (Get-AdfsComputer -Facts $facts -Number $n) | Out-Null
      (Invoke-GeneratedScript -Script (Get-EntraMfaScript -Stage $Stage -Kind 'entra-mfa-restart' -Server ('adfs-{0}' -f $n))).ExitCode | Should -Be 0
    }
    $order = @((Get-AdfsFarmModel).Servers.Values | ForEach-Object { foreach ($r in $_.Restarts) { [pscustomobject]@{ Server = $_.Name; Tick = $r.Tick; OthersDown = $r.OthersDown } } } | Sort-Object -Property Tick)
    $order.Server | Should -Be @($facts.computers.adfs | ForEach-Object { $_.ToUpperInvariant() })
    foreach ($restart in $order) { $restart.OthersDown | Should -BeNullOrEmpty -Because $restart.Server }
    foreach ($server in (Get-AdfsFarmModel).Servers.Values) { $server.Loaded | Should -Be (Get-AdfsFarmConfiguration) -Because $server.Name }
  }
}
