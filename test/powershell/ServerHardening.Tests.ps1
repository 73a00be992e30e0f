<#
  The hardening scripts (constructs/scripts/hardening.ts, extranet-lockout.ts), run against a server kept as data: its
  registry (RegistryModel.ps1: SCHANNEL, .NET, the scripts' own notes), its enabled cipher suites, its audit policy,
  its boot, its services and probes, and the AD FS farm's properties (shared by the primary and the other servers, as
  the WID copies are once synchronized).
  The mocked commands change that state as the real ones change the server; the tests compare states.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  # What each script does, from the environment it deploys to (never from the script): the skips need it at discovery.
  $hardening = @(Get-GeneratedScript -Kind 'server-hardening' | ForEach-Object {
      $lockout = $_.Facts.hardening.extranetLockout
      @{ Script = $_; Name = $_.Name; Tls = $_.Facts.hardening.tls; Lockout = $_.Tier -eq 'adfs' -and $null -ne $lockout -and $lockout.enabled }
    })
  $checks = @(Get-GeneratedScript -Kind 'hardening-restart-check' | ForEach-Object {
      @{ Script = $_; Name = $_.Name; Serving = [regex]::Match((Get-Content -LiteralPath $_.Path -Raw), "Get-Service -Name '([^']+)'").Groups[1].Value }
    })
  $lockouts = @(Get-GeneratedScript -Kind 'extranet-lockout' | ForEach-Object { @{ Script = $_; Name = $_.Name; Enabled = $_.Facts.hardening.extranetLockout.enabled } })
  # One script of each kind for the repair property (prod's): AD FS's hardening has every step.
  $repairHardening = Get-RepresentativeCase -Kind 'server-hardening' -Tier 'adfs'
  $repairCheck = Get-RepresentativeCase -Kind 'hardening-restart-check' -Tier 'adfs'
  $repairLockout = Get-RepresentativeCase -Kind 'extranet-lockout'
  # The cases a scenario applies to: no test is skipped (run.ps1 counts a skip as a failure).
  $adfsLockout = @($hardening | Where-Object { $_.Lockout })
  $withTls = @($hardening | Where-Object { $_.Tls })
  $serving = @($checks | Where-Object { $_.Serving })
  $lockoutsOn = @($lockouts | Where-Object { $_.Enabled })
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  . (Join-Path -Path $PSScriptRoot -ChildPath 'RegistryModel.ps1')
  . Use-RegistryModel

  $protocols = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols'
  $dotnet = @('HKLM:\SOFTWARE\Microsoft\.NETFramework\v4.0.30319', 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v4.0.30319')
  $state = 'HKLM:\SOFTWARE\MFA-HA\Hardening'
  $windowsVersion = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
  # Windows Server 2016's enabled suites include 3DES and RC4-free ones; an older image or a hand-made list may have more.
  $strongSuites = @('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_256_GCM_SHA384', 'TLS_AES_256_GCM_SHA384')
  $weakSuites = @('TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'TLS_RSA_WITH_RC4_128_SHA', 'TLS_RSA_WITH_RC4_128_MD5', 'TLS_RSA_WITH_NULL_SHA256', 'TLS_RSA_WITH_DES_CBC_SHA', 'TLS_RSA_EXPORT1024_WITH_RC4_56_SHA')

  <# A server as Windows Server ships it, in the given build, booted at the given time. #>
  function Initialize-Server {
    param([int] $Build = 20348, [string[]] $Suites = @($strongSuites + $weakSuites), [string] $Audit = 'No Auditing')
    Initialize-Registry -Keys @{ $windowsVersion = @{ CurrentBuildNumber = [string]$Build } }
    $global:Server = @{
      Suites = [Collections.Generic.List[string]]::new([string[]]$Suites)
      Audit = $Audit
      Boot = [datetime]'2027-01-05T02:00:00Z'
      RestartScheduled = @()
      ServiceRestarts = 0
      Running = @('adfssrv', 'appproxysvc', 'W3SVC')
      Answering = $true
    }
  }

  <# The farm's properties, as Get-AdfsProperties reports them on every server of a synchronized farm. #>
  function Initialize-Farm {
    param([bool] $Enabled = $false, [string] $Mode = 'ADPasswordCounter', [int] $Threshold = 0, [timespan] $Window = [timespan]::Zero, [string[]] $AuditLevel = @('Basic'))
    $global:Farm = @{
      ExtranetLockoutEnabled = $Enabled; ExtranetLockoutMode = $Mode; ExtranetLockoutThreshold = $Threshold
      ExtranetObservationWindow = $Window; ExtranetLockoutRequirePDC = $true; AuditLevel = $AuditLevel
    }
  }

  Mock Get-TlsCipherSuite { $null = Enter-Command 'Get-TlsCipherSuite'; $global:Server.Suites | ForEach-Object { [pscustomobject]@{ Name = $_; Protocols = @(771) } } }
  Mock Disable-TlsCipherSuite { $null = Enter-Command 'Disable-TlsCipherSuite'; if (-not $global:Server.Suites.Remove($Name)) { throw "no cipher suite $Name" } }
  Mock Get-CimInstance { $null = Enter-Command 'Get-CimInstance'; [pscustomobject]@{ LastBootUpTime = $global:Server.Boot.ToLocalTime() } } -ParameterFilter { $ClassName -eq 'Win32_OperatingSystem' }
  Mock shutdown.exe {
    if (Enter-Command 'shutdown.exe' -Native) { return 'Access is denied.' }
    # 1190, ERROR_SHUTDOWN_IS_SCHEDULED: one restart at a time
    if ($global:Server.RestartScheduled.Count -gt 0) { $global:LASTEXITCODE = 1190; return 'A system shutdown has already been scheduled.' }
    $global:Server.RestartScheduled += , @($Arguments); $global:LASTEXITCODE = 0
  }
  Mock auditpol.exe {
    if (Enter-Command 'auditpol.exe' -Native) { return 'Error 0x00000005 occurred: Access is denied.' }
    $global:LASTEXITCODE = 0
    if ($Arguments[0] -eq '/get') {
      'Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting'
      'SERVER1,System,Application Generated,{0CCE9222-69AE-11D9-BED3-505054503030},' + $global:Server.Audit + ','
    } elseif ($Arguments[0] -eq '/set' -and $Arguments -contains '/success:enable' -and $Arguments -contains '/failure:enable') {
      $global:Server.Audit = 'Success and Failure'
    } else { throw "unexpected auditpol call: $Arguments" }
  }
  Mock Get-Service { $null = Enter-Command 'Get-Service'; if ($Name -in $global:Server.Running) { [pscustomobject]@{ Name = $Name; Status = 'Running' } } else { [pscustomobject]@{ Name = $Name; Status = 'Stopped' } } }
  Mock Restart-Service { $null = Enter-Command 'Restart-Service'; $global:Server.ServiceRestarts++ }
  Mock Invoke-WebRequest { $null = Enter-Command 'Invoke-WebRequest'; if ($global:Server.Answering) { [pscustomobject]@{ StatusCode = 200 } } else { throw 'Unable to connect to the remote server' } }
  Mock Test-NetConnection { $null = Enter-Command 'Test-NetConnection'; $global:Server.Answering }
  Mock Start-Sleep { }
  Mock Get-AdfsProperties { $null = Enter-Command 'Get-AdfsProperties'; [pscustomobject]$global:Farm }
  Mock Set-AdfsProperties {
    $null = Enter-Command 'Set-AdfsProperties'
    foreach ($name in $PesterBoundParameters.Keys) {
      switch ($name) {
        'EnableExtranetLockout' { $global:Farm.ExtranetLockoutEnabled = $EnableExtranetLockout }
        'ExtranetLockoutMode' { $global:Farm.ExtranetLockoutMode = $ExtranetLockoutMode }
        'ExtranetLockoutThreshold' { $global:Farm.ExtranetLockoutThreshold = $ExtranetLockoutThreshold }
        'ExtranetObservationWindow' { $global:Farm.ExtranetObservationWindow = $ExtranetObservationWindow }
        'ExtranetLockoutRequirePDC' { $global:Farm.ExtranetLockoutRequirePDC = $ExtranetLockoutRequirePDC }
        'AuditLevel' { $global:Farm.AuditLevel = $AuditLevel }
        'Confirm' { }
        default { throw "the farm model does not set $name" }
      }
    }
  }

  <# Windows restarts: a new boot, the services start (reading the farm as it is now). #>
  function Restart-Server { $global:Server.Boot = $global:Server.Boot.AddMinutes(5) }

  <# The server as the repair property compares it: its registry, suites, audit policy, and whether a restart is scheduled. #>
  function Get-ServerState { [ordered]@{ Registry = @(Format-Registry); Suites = @($global:Server.Suites); Audit = $global:Server.Audit; RestartScheduled = $global:Server.RestartScheduled.Count -gt 0 } }

  <# The farm's extranet lockout and audit properties, in a fixed order. #>
  function Get-FarmState { $farm = $global:Farm; [ordered]@{ Enabled = $farm.ExtranetLockoutEnabled; Mode = $farm.ExtranetLockoutMode; Threshold = $farm.ExtranetLockoutThreshold; Window = [string]$farm.ExtranetObservationWindow; Pdc = $farm.ExtranetLockoutRequirePDC; Audit = @($farm.AuditLevel) } }

  <# What the protocols, the cipher suites and .NET look like, as one comparable list. #>
  function Get-TlsState { @((Format-Registry | Where-Object { $_ -like "$protocols*" -or $_ -like '*NETFramework*' }) + $global:Server.Suites) }
}

Describe 'server-hardening: <Name>' -ForEach $hardening {
  BeforeAll {
    $facts = $Script.Facts.hardening
    $expectedLockout = if ($Lockout) { 'True/{0}' -f $facts.extranetLockout.mode } else { $null }
  }

  Context 'on a fresh server' {
    BeforeEach {
      Initialize-Server
      Initialize-Farm -Enabled $true -Mode $(if ($Lockout) { $facts.extranetLockout.mode } else { 'ADPasswordCounter' })
    }

    It 'turns SSL 2.0, SSL 3.0, TLS 1.0 and 1.1 off both ways, the weak cipher suites off, strong .NET cryptography on, then restarts Windows in a minute' {
      $run = Invoke-GeneratedScript -Script $Script
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      if ($facts.tls) {
        foreach ($protocol in 'SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1') {
          foreach ($side in 'Server', 'Client') {
            Get-RegistryValue -Key "$protocols\$protocol\$side" -Name 'Enabled' | Should -Be 0
            Get-RegistryValue -Key "$protocols\$protocol\$side" -Name 'DisabledByDefault' | Should -Be 1
          }
        }
        @($global:Registry.Keys | Where-Object { $_ -like "$protocols\TLS 1.2*" -or $_ -like "$protocols\TLS 1.3*" }) | Should -BeNullOrEmpty
        $global:Server.Suites | Should -Be $strongSuites
        foreach ($key in $dotnet) { foreach ($name in 'SchUseStrongCrypto', 'SystemDefaultTlsVersions') { Get-RegistryValue -Key $key -Name $name | Should -Be 1 } }
        $global:Server.RestartScheduled.Count | Should -Be 1
        ($global:Server.RestartScheduled[0][0..2] -join ' ') | Should -Be '/r /t 60'
        Get-RegistryValue -Key $state -Name 'RestartRequestedFromBoot' | Should -Be $global:Server.Boot.ToUniversalTime().ToString('o')
        $global:Server.ServiceRestarts | Should -Be 0
      }
      if ($Lockout) {
        $global:Server.Audit | Should -Be 'Success and Failure'
        Get-RegistryValue -Key $state -Name 'ExtranetLockoutInEffect' | Should -Be $expectedLockout
      }
    }

    It 'changes nothing on a second run, after the restart' {
      Invoke-GeneratedScript -Script $Script | Out-Null
      Restart-Server
      $before = Format-Registry
      $suites = @($global:Server.Suites)
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      Format-Registry | Should -Be $before
      @($global:Server.Suites) | Should -Be $suites
      $global:Server.RestartScheduled.Count | Should -Be $(if ($facts.tls) { 1 } else { 0 })
      $global:Server.ServiceRestarts | Should -Be 0
      $run.Text | Should -Match 'no change needs a restart'
    }
  }

  Context 'on a server hardened by hand already' {
    It 'leaves it as it is and does not restart it' {
      Initialize-Server -Suites $strongSuites -Audit 'Success and Failure'
      Initialize-Farm -Enabled $true -Mode $(if ($Lockout) { $facts.extranetLockout.mode } else { 'ADPasswordCounter' })
      foreach ($protocol in 'SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1') { foreach ($side in 'Server', 'Client') { $global:Registry["$protocols\$protocol\$side"] = @{ Enabled = 0; DisabledByDefault = 1 } } }
      foreach ($key in $dotnet) { $global:Registry[$key] = @{ SchUseStrongCrypto = 1; SystemDefaultTlsVersions = 1 } }
      if ($Lockout) { $global:Registry[$state] = @{ ExtranetLockoutInEffect = $expectedLockout } }
      $before = Format-Registry
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      Format-Registry | Should -Be $before
      $global:Server.RestartScheduled.Count | Should -Be 0
      $global:Server.ServiceRestarts | Should -Be 0
      Should -Invoke Disable-TlsCipherSuite -Exactly -Times 0
    }
  }

}

Describe 'server-hardening on an AD FS server: <Name>' -ForEach $adfsLockout {
  BeforeAll {
    $facts = $Script.Facts.hardening
    $expectedLockout = 'True/{0}' -f $facts.extranetLockout.mode
  }

  Context 'when the farm changed its extranet lockout mode since AD FS started' {
    It 'restarts the AD FS service once, waits until it answers its probe again, and notes the mode' {
      Initialize-Server -Suites $strongSuites -Audit 'Success and Failure'
      Initialize-Farm -Enabled $true -Mode $facts.extranetLockout.mode
      foreach ($protocol in 'SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1') { foreach ($side in 'Server', 'Client') { $global:Registry["$protocols\$protocol\$side"] = @{ Enabled = 0; DisabledByDefault = 1 } } }
      foreach ($key in $dotnet) { $global:Registry[$key] = @{ SchUseStrongCrypto = 1; SystemDefaultTlsVersions = 1 } }
      $global:Registry[$state] = @{ ExtranetLockoutInEffect = 'True/ADPasswordCounter' }
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      $global:Server.ServiceRestarts | Should -Be 1
      Should -Invoke Restart-Service -Exactly -Times 1 -ParameterFilter { $Name -eq 'adfssrv' }
      Should -Invoke Invoke-WebRequest -ParameterFilter { $Uri -eq 'http://localhost:80/adfs/probe' }
      Get-RegistryValue -Key $state -Name 'ExtranetLockoutInEffect' | Should -Be $expectedLockout
      $global:Server.RestartScheduled.Count | Should -Be 0
    }

    It 'waits for the WID primary''s lockout to reach this server, and stops (exit 1) when it never does' {
      Initialize-Server
      Initialize-Farm -Enabled $false
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike 'server-hardening failed at "wait until this server has the extranet lockout the WID primary set": the farm still reports extranet lockout False/ADPasswordCounter*'
      Should -Invoke Start-Sleep -Exactly -Times 60
      $global:Server.RestartScheduled.Count | Should -Be 0
    }

    It 'on AD FS 2016, whose smart modes wait for a manual step, takes the farm''s extranet lockout as it is' {
      Initialize-Server -Build 14393
      Initialize-Farm -Enabled $true -Mode 'ADPasswordCounter'
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      Get-RegistryValue -Key $state -Name 'ExtranetLockoutInEffect' | Should -Be 'True/ADPasswordCounter'
    }
  }
}

Describe 'server-hardening when a step fails: <Name>' -ForEach $withTls {
  BeforeAll { $facts = $Script.Facts.hardening }

  Context 'when a step fails' {
    It 'exits 1 naming the step, and schedules no restart' {
      Initialize-Server
      Initialize-Farm -Enabled $true -Mode $(if ($Lockout) { $facts.extranetLockout.mode } else { 'ADPasswordCounter' })
      Mock Disable-TlsCipherSuite { throw 'Access is denied.' }
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike 'server-hardening failed at "turn the weak cipher suites off*": Access is denied.'
      $global:Server.RestartScheduled.Count | Should -Be 0
    }
  }
}

Describe 'hardening-restart-check: <Name>' -ForEach $checks {
  BeforeEach { Initialize-Server }

  It 'passes once the server restarted since the hardening asked, and serves: the note is gone' {
    $global:Registry[$state] = @{ RestartRequestedFromBoot = $global:Server.Boot.ToUniversalTime().ToString('o') }
    Restart-Server
    $run = Invoke-GeneratedScript -Script $Script
    $run.Error | Should -BeNullOrEmpty
    $run.ExitCode | Should -Be 0
    Get-RegistryValue -Key $state -Name 'RestartRequestedFromBoot' | Should -BeNullOrEmpty
    $second = Invoke-GeneratedScript -Script $Script
    $second.ExitCode | Should -Be 0
    $second.Text | Should -Match 'no restart was asked for'
  }

  It 'stops the tier (exit 1) when the restart has not happened' {
    $global:Registry[$state] = @{ RestartRequestedFromBoot = $global:Server.Boot.ToUniversalTime().ToString('o') }
    $run = Invoke-GeneratedScript -Script $Script
    $run.ExitCode | Should -Be 1
    $run.Error | Should -BeLike 'hardening-restart-check failed at "check that the server restarted*": the restart asked for has not happened*Restart-Computer*'
    Get-RegistryValue -Key $state -Name 'RestartRequestedFromBoot' | Should -Not -BeNullOrEmpty
  }
}

Describe 'hardening-restart-check on a server that does not serve again: <Name>' -ForEach $serving {
  BeforeEach { Initialize-Server }

  It 'stops the tier (exit 1) when the server does not serve again: <Serving> stopped' {
    $global:Server.Running = @()
    $run = Invoke-GeneratedScript -Script $Script
    $run.ExitCode | Should -Be 1
    $run.Error | Should -BeLike ('hardening-restart-check failed at "wait until {0} serves again": {0}* did not answer within 15 minutes: the deployment stops here, before another server of the tier restarts' -f $Serving)
    Should -Invoke Start-Sleep -Exactly -Times 90
  }
}

Describe 'extranet-lockout on the WID primary: <Name>' -ForEach $lockoutsOn {
  BeforeAll { $settings = $Script.Facts.hardening.extranetLockout }

  Context 'on a farm as Install-AdfsFarm leaves it' {
    BeforeEach { Initialize-Server; Initialize-Farm }

    It 'sets the threshold, the observation window, no PDC requirement, the mode, then turns extranet lockout on' {
      $run = Invoke-GeneratedScript -Script $Script
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      $global:Farm.ExtranetLockoutEnabled | Should -Be $settings.enabled
      if ($settings.enabled) {
        $global:Farm.ExtranetLockoutThreshold | Should -Be $settings.threshold
        $global:Farm.ExtranetObservationWindow | Should -Be ([timespan]::FromMinutes($settings.observationWindowMinutes))
        $global:Farm.ExtranetLockoutRequirePDC | Should -BeFalse
        $global:Farm.ExtranetLockoutMode | Should -Be $settings.mode
      }
    }

    It 'changes nothing on a second run' {
      Invoke-GeneratedScript -Script $Script | Out-Null
      $before = $global:Farm.Clone()
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      foreach ($key in $before.Keys) { $global:Farm[$key] | Should -Be $before[$key] }
      Should -Invoke Set-AdfsProperties -Exactly -Times $(if ($settings.enabled) { 3 } else { 0 })
    }

    It 'turns AD FS auditing back on when it was off' {
      $global:Farm.AuditLevel = @('None')
      Invoke-GeneratedScript -Script $Script | Out-Null
      $global:Farm.AuditLevel | Should -Be @('Basic')
    }

    It 'on AD FS 2016 names the manual precondition and keeps the 2012 R2 lockout instead of the smart modes' {
      Initialize-Server -Build 14393
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      $run.Text | Should -Match 'MANUAL PRECONDITION \(AD FS administrator\): AD FS 2016 needs Update-AdfsArtifactDatabasePermission'
      $global:Farm.ExtranetLockoutMode | Should -Be 'ADPasswordCounter'
      $global:Farm.ExtranetLockoutEnabled | Should -BeTrue
    }

    It 'exits 1 naming the step when AD FS refuses a setting, and leaves extranet lockout as it was' {
      Mock Set-AdfsProperties { throw 'PS0038: the AD FS service is not running' } -ParameterFilter { $PesterBoundParameters.ContainsKey('ExtranetLockoutMode') }
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike 'extranet-lockout failed at "smart lockout mode*": PS0038*'
      $global:Farm.ExtranetLockoutEnabled | Should -BeFalse
    }
  }

  Context 'then on the other AD FS servers' {
    It 'each restarts its AD FS service once with the mode the primary set, and never again' {
      $secondary = @(Get-GeneratedScript -Kind 'server-hardening' | Where-Object { $_.Tier -eq 'adfs' -and $_.Facts.env -eq $Script.Facts.env })[0]
      Initialize-Server -Suites $strongSuites -Audit 'Success and Failure'
      Initialize-Farm
      Invoke-GeneratedScript -Script $Script | Out-Null
      foreach ($protocol in 'SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1') { foreach ($side in 'Server', 'Client') { $global:Registry["$protocols\$protocol\$side"] = @{ Enabled = 0; DisabledByDefault = 1 } } }
      foreach ($key in $dotnet) { $global:Registry[$key] = @{ SchUseStrongCrypto = 1; SystemDefaultTlsVersions = 1 } }
      (Invoke-GeneratedScript -Script $secondary).ExitCode | Should -Be 0
      (Invoke-GeneratedScript -Script $secondary).ExitCode | Should -Be 0
      $global:Server.ServiceRestarts | Should -Be 1
    }
  }
}

Describe 'a failed hardening is repaired by the next run: <Name>' -ForEach $repairHardening {
  It 'whatever single call fails, the next run leaves the server as a clean run does: changed, the restart owed scheduled' {
    $mode = $Script.Facts.hardening.extranetLockout.mode
    $initialize = { Initialize-Server; Initialize-Farm -Enabled $true -Mode $mode }
    $unrepaired = Test-RepairedByNextRun -Script $Script -Initialize $initialize -State { Get-ServerState }
    $unrepaired | Should -Be @()
  }
}

Describe 'a failed restart check is repaired by the next run: <Name>' -ForEach $repairCheck {
  It 'whatever single call fails, the next run checks the restart and clears its note' {
    $initialize = { Initialize-Server; $global:Registry[$state] = @{ RestartRequestedFromBoot = $global:Server.Boot.ToUniversalTime().ToString('o') }; Restart-Server }
    $unrepaired = Test-RepairedByNextRun -Script $Script -Initialize $initialize -State { @(Format-Registry) }
    $unrepaired | Should -Be @()
  }
}

Describe 'a failed extranet lockout is repaired by the next run: <Name>' -ForEach $repairLockout {
  It 'whatever single call fails, the next run leaves the farm as a clean run does' {
    $unrepaired = Test-RepairedByNextRun -Script $Script -Initialize { Initialize-Server; Initialize-Farm -AuditLevel @('None') } -State { Get-FarmState }
    $unrepaired | Should -Be @()
  }
}

AfterAll {
  foreach ($name in 'Server', 'Farm', 'Registry') { Remove-Variable -Name $name -Scope Global -ErrorAction SilentlyContinue }
}
