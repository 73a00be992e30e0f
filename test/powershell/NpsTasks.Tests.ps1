<#
  What runs on the NPS servers between deployments, and the Run Command that installs it (`nps-tasks`):
    - the health endpoint behind the load balancer's probe (`nps-health-listener`): an HTTP listener answering 200
      only while IAS runs and the server is not drained, asked at every probe;
    - the hourly check of the NPS extension's client certificate (`nps-certificate-check`), whose Application events
      the alerts query;
    - the installer: the event source, both scripts on disk, the probe's firewall rule, both tasks, and the endpoint
      started (again when its definition changed).
  The server is the state of NpsServer.ps1, with the listener's requests, the tasks, the firewall rules and the
  events as state here; the scenarios compare states.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $installers = Get-ScriptCase -Kind 'nps-tasks'
  $listeners = Get-ScriptCase -Kind 'nps-health-listener'
  $checks = Get-ScriptCase -Kind 'nps-certificate-check'
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  . (Join-Path -Path $PSScriptRoot -ChildPath 'NpsServer.ps1')
  Register-NpsServerMocks

  # The event log.
  Mock Write-EventLog { $global:Nps.Events.Add([pscustomobject]@{ LogName = $LogName; Source = $Source; EventId = $EventId; EntryType = $EntryType; Message = $Message }) }
  Mock New-EventLog { Assert-NoFailure 'event-source'; $global:Nps.EventSources.Add($Source) }
  Mock Test-Path { $global:Nps.EventSources.Contains((Split-Path -Path ([string]@($Path)[0]) -Leaf)) } -ParameterFilter { $Path -like 'HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application\*' }
  Mock icacls.exe { if ($global:Nps.Failures.ContainsKey('icacls')) { $global:LASTEXITCODE = 5; return 'Access is denied.' }; $global:Nps.Log.Add(('icacls {0}' -f ($Arguments -join ' '))); $global:LASTEXITCODE = 0 }

  # Windows Firewall.
  Mock Get-NetFirewallRule { if ($global:Nps.Firewall.ContainsKey($Name[0])) { [pscustomobject]$global:Nps.Firewall[$Name[0]] } elseif ($ErrorActionPreference -ne 'SilentlyContinue') { } }
  Mock New-NetFirewallRule {
    Assert-NoFailure 'firewall'
    if ($global:Nps.Firewall.ContainsKey($Name)) { throw ('Cannot create a file when that file already exists. ({0})' -f $Name) }
    $global:Nps.Firewall[$Name] = @{ Name = $Name; DisplayName = $DisplayName; Description = $Description; Direction = $Direction; Action = $Action; Protocol = $Protocol; LocalPort = @($LocalPort); RemoteAddress = @($RemoteAddress); Profile = @($Profile) }
  }
  Mock Remove-NetFirewallRule { $global:Nps.Firewall.Remove($Name[0]) }

  # Task Scheduler.
  Mock Get-ScheduledTask { $key = '{0}{1}' -f $TaskPath[0], $TaskName[0]; if ($global:Nps.Tasks.ContainsKey($key)) { [pscustomobject]$global:Nps.Tasks[$key] } }
  Mock New-ScheduledTaskAction { [pscustomobject]@{ Execute = $Execute; Arguments = $Argument } }
  Mock New-ScheduledTaskTrigger { [pscustomobject]@{ Parameters = ($PesterBoundParameters.GetEnumerator() | Sort-Object Key | ForEach-Object { '{0}={1}' -f $_.Key, $_.Value }) -join '; ' } }
  Mock New-ScheduledTaskPrincipal { [pscustomobject]@{ UserId = $UserId; LogonType = $LogonType; RunLevel = $RunLevel } }
  Mock New-ScheduledTaskSettingsSet { [pscustomobject]@{ Parameters = ($PesterBoundParameters.GetEnumerator() | Sort-Object Key | ForEach-Object { '{0}={1}' -f $_.Key, $_.Value }) -join '; ' } }
  Mock Register-ScheduledTask {
    Assert-NoFailure ('register-task:{0}' -f $TaskName)
    $key = '{0}{1}' -f $TaskPath, $TaskName
    # A task registered again keeps its running instance and its history (Register-ScheduledTask -Force updates it).
    $old = if ($global:Nps.Tasks.ContainsKey($key)) { $global:Nps.Tasks[$key] } else { @{ State = 'Ready'; Runs = 0 } }
    $global:Nps.Tasks[$key] = @{ TaskName = $TaskName; TaskPath = $TaskPath; Description = $Description; Action = $Action; Triggers = @($Trigger | ForEach-Object { $_.Parameters }); Settings = $Settings.Parameters; Principal = $Principal; State = $old.State; Runs = $old.Runs }
  }
  Mock Start-ScheduledTask { Assert-NoFailure 'start-task'; $t = $global:Nps.Tasks['{0}{1}' -f $TaskPath, $TaskName]; $t.State = 'Running'; $t.Runs++ }
  Mock Stop-ScheduledTask { $global:Nps.Tasks['{0}{1}' -f $TaskPath, $TaskName].State = 'Ready' }

  function Initialize-TaskServer {
    param($Script)
    Initialize-NpsServer -Script $Script
    $global:Nps.Firewall = @{}
    $global:Nps.Tasks = @{}
  }

  <# The state the installer changes: event sources, the files of %ProgramData%\MFA-HA, firewall rules, tasks (their definition and whether they run). #>
  function Get-TasksState {
    $folder = Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA'
    [ordered]@{
      EventSources = @($global:Nps.EventSources | Sort-Object)
      Files        = @(if (Test-Path -LiteralPath $folder) { Get-ChildItem -LiteralPath $folder | Where-Object { -not $_.PSIsContainer } | Sort-Object Name | ForEach-Object { '{0}:{1}' -f $_.Name, (Get-FileHash -LiteralPath $_.FullName).Hash } })
      Firewall     = @($global:Nps.Firewall.Values | ForEach-Object { $_ | ConvertTo-Json -Compress })
      Tasks        = @($global:Nps.Tasks.Keys | Sort-Object | ForEach-Object { $t = $global:Nps.Tasks[$_]; '{0}|{1}|{2}|{3}|{4}' -f $_, $t.Description, ($t.Triggers -join ' + '), $t.Settings, $t.State })
    } | ConvertTo-Json -Depth 4 -Compress
  }

  <# The text of the one generated script of a kind: what the installer must write to disk. #>
  function Get-TaskScriptText {
    param([string] $Kind)
    $scripts = @(Get-GeneratedScript -Kind $Kind)
    $scripts.Count | Should -Be 1
    (Get-Content -LiteralPath $scripts[0].Path -Raw).TrimStart([char]0xFEFF)
  }

  $script:StepFailures = [ordered]@{
    'register the event source'               = @{ Break = { $global:Nps.Failures['event-source'] = 'Access is denied.' }; Repair = { $global:Nps.Failures.Remove('event-source') } }
    "write the tasks' scripts"                = @{ Break = { $global:Nps.Failures['icacls'] = 'x' }; Repair = { $global:Nps.Failures.Remove('icacls') } }
    "let the load balancer's probes"          = @{ Break = { $global:Nps.Failures['firewall'] = 'The RPC server is unavailable.' }; Repair = { $global:Nps.Failures.Remove('firewall') } }
    'register the task \MFA-HA\NPS health'    = @{ Break = { $global:Nps.Failures['register-task:NPS health endpoint'] = 'Access is denied.' }; Repair = { $global:Nps.Failures.Remove('register-task:NPS health endpoint') } }
    'start the health endpoint'               = @{ Break = { $global:Nps.Failures['start-task'] = 'The task is disabled.' }; Repair = { $global:Nps.Failures.Remove('start-task') } }
    'register the task \MFA-HA\NPS client'    = @{ Break = { $global:Nps.Failures['register-task:NPS client certificate check'] = 'Access is denied.' }; Repair = { $global:Nps.Failures.Remove('register-task:NPS client certificate check') } }
  }
}

AfterAll {
  Remove-Variable -Name Nps, Listener -Scope Global -ErrorAction SilentlyContinue
}

Describe 'nps-tasks: <Name>' -ForEach $installers {
  BeforeAll { $facts = $Script.Facts }

  Context 'on a fresh server' {
    BeforeEach { Initialize-TaskServer -Script $Script }

    It 'writes both scripts as generated, restricts their folder, opens the probe port to the load balancer only, registers both tasks as SYSTEM and starts the endpoint' {
      $run = Invoke-GeneratedScript -Script $Script
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      $folder = Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA'
      Get-Content -LiteralPath (Join-Path -Path $folder -ChildPath 'Start-NpsHealthEndpoint.ps1') -Raw | Should -BeExactly (Get-TaskScriptText -Kind 'nps-health-listener')
      Get-Content -LiteralPath (Join-Path -Path $folder -ChildPath 'Test-NpsClientCertificate.ps1') -Raw | Should -BeExactly (Get-TaskScriptText -Kind 'nps-certificate-check')
      @($global:Nps.Log) | Should -Contain ("icacls {0} /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F" -f $folder)
      @($global:Nps.EventSources) | Should -Be @($facts.nps.certificateEvents.source)
      $rule = $global:Nps.Firewall['MFA-HA-NPS-Health']
      $rule.Direction | Should -Be 'Inbound'
      $rule.Action | Should -Be 'Allow'
      $rule.Protocol | Should -Be 'TCP'
      $rule.LocalPort | Should -Be @([string]$facts.nps.probe.port)
      $rule.RemoteAddress | Should -Be @('168.63.129.16')
      $health = $global:Nps.Tasks['\MFA-HA\NPS health endpoint']
      $health.State | Should -Be 'Running'
      $health.Principal.UserId | Should -Be 'SYSTEM'
      $health.Action.Arguments | Should -BeLike ('*-File "{0}"' -f (Join-Path -Path $folder -ChildPath 'Start-NpsHealthEndpoint.ps1'))
      $health.Triggers[0] | Should -Be 'AtStartup=True'
      $health.Triggers[1] | Should -BeLike '*RepetitionInterval=00:05:00*'
      $health.Settings | Should -BeLike '*ExecutionTimeLimit=00:00:00*MultipleInstances=IgnoreNew*'
      $check = $global:Nps.Tasks['\MFA-HA\NPS client certificate check']
      $check.Triggers[0] | Should -BeLike '*RepetitionInterval=01:00:00*'
      $check.Action.Arguments | Should -BeLike ('*-File "{0}"' -f (Join-Path -Path $folder -ChildPath 'Test-NpsClientCertificate.ps1'))
    }

    It 'changes nothing on a second run, and leaves the running endpoint alone' {
      Invoke-GeneratedScript -Script $Script | Out-Null
      $first = Get-TasksState
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      Get-TasksState | Should -Be $first
      $global:Nps.Tasks['\MFA-HA\NPS health endpoint'].Runs | Should -Be 1
      Should -Invoke Register-ScheduledTask -Exactly -Times 2
      Should -Invoke New-NetFirewallRule -Exactly -Times 1
    }
  }

  Context 'on a server an earlier version configured' {
    It 'registers a task whose definition changed again, restarts the endpoint, and replaces a firewall rule that differs' {
      Initialize-TaskServer -Script $Script
      Invoke-GeneratedScript -Script $Script | Out-Null
      $global:Nps.Tasks['\MFA-HA\NPS health endpoint'].Description = 'Answers the probe (an older definition)'
      $global:Nps.Firewall['MFA-HA-NPS-Health'].Description = 'an older rule'
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      $global:Nps.Tasks['\MFA-HA\NPS health endpoint'].Description | Should -BeLike "Answers the load balancer's probe*"
      $global:Nps.Tasks['\MFA-HA\NPS health endpoint'].Runs | Should -Be 2
      Should -Invoke Stop-ScheduledTask -Exactly -Times 1
      $global:Nps.Firewall['MFA-HA-NPS-Health'].Description | Should -BeLike 'The load balancer probes*'
    }

    It 'starts an endpoint that stopped' {
      Initialize-TaskServer -Script $Script
      Invoke-GeneratedScript -Script $Script | Out-Null
      $global:Nps.Tasks['\MFA-HA\NPS health endpoint'].State = 'Ready'
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      $global:Nps.Tasks['\MFA-HA\NPS health endpoint'].State | Should -Be 'Running'
      Should -Invoke Stop-ScheduledTask -Exactly -Times 0
    }
  }

  Context 'when a step fails' {
    It 'reaches the state of a clean run once the failing step succeeds again, whichever step failed' {
      Initialize-TaskServer -Script $Script
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      $clean = Get-TasksState
      $steps = Get-ScriptStep -Script $Script
      $steps.Count | Should -Be $script:StepFailures.Count
      foreach ($title in $steps) {
        $failure = $script:StepFailures.Keys | Where-Object { $title.StartsWith($_) } | Select-Object -First 1
        $failure | Should -Not -BeNullOrEmpty -Because "the step ""$title"" needs a failure in the table of this file"
        Initialize-TaskServer -Script $Script
        Remove-Item -LiteralPath (Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA') -Recurse -Force -ErrorAction SilentlyContinue
        & $script:StepFailures[$failure].Break
        $failed = Invoke-GeneratedScript -Script $Script
        $failed.ExitCode | Should -Be 1 -Because $title
        $failed.Error | Should -BeLike ('nps-tasks failed at "{0}"*' -f [WildcardPattern]::Escape($title)) -Because $title
        & $script:StepFailures[$failure].Repair
        (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0 -Because $title
        Get-TasksState | Should -Be $clean -Because "a run after ""$title"" failed"
      }
    }
  }
}

Describe 'nps-health-listener: <Name>' -ForEach $listeners {
  BeforeAll {
    $facts = $Script.Facts
    # A listener that serves the queued requests, then stops listening; what it answered is recorded.
    Mock New-Object {
      $listener = [pscustomobject]@{ Prefixes = [System.Collections.Generic.List[string]]::new(); Started = $false; Closed = $false }
      $listener | Add-Member -MemberType ScriptProperty -Name IsListening -Value { -not $this.Closed -and $global:Listener.Queue.Count -gt 0 }
      $listener | Add-Member -MemberType ScriptMethod -Name Start -Value { $this.Started = $true }
      $listener | Add-Member -MemberType ScriptMethod -Name Close -Value { $this.Closed = $true }
      $listener | Add-Member -MemberType ScriptMethod -Name GetContext -Value {
        $request = $global:Listener.Queue.Dequeue()
        if ($request.ContainsKey('Before')) { & $request.Before }
        $response = [pscustomobject]@{ StatusCode = 200; ContentType = $null; ContentLength64 = 0; OutputStream = [IO.MemoryStream]::new(); Closed = $false; Fails = $request.ContainsKey('Fails') }
        $response | Add-Member -MemberType ScriptMethod -Name Close -Value {
          if ($this.Fails) { throw 'The specified network name is no longer available.' }
          $this.Closed = $true
          $global:Listener.Answers.Add(('{0} {1}' -f $this.StatusCode, [Text.Encoding]::UTF8.GetString($this.OutputStream.ToArray())))
        }
        [pscustomobject]@{ Request = [pscustomobject]@{ Url = [uri]('http://10.30.1.68:{0}{1}' -f $facts.nps.probe.port, $request.Path) }; Response = $response }
      }
      $global:Listener.Instance = $listener
      $listener
    } -ParameterFilter { $TypeName -eq 'System.Net.HttpListener' }

    function Invoke-Listener {
      param([object[]] $Requests)
      $global:Listener = @{ Queue = [System.Collections.Generic.Queue[object]]::new(); Answers = [System.Collections.Generic.List[string]]::new(); Instance = $null }
      foreach ($r in $Requests) { $global:Listener.Queue.Enqueue($r) }
      Invoke-GeneratedScript -Script $Script
    }
    $probe = $facts.nps.probe.path
  }

  # IAS runs with the NPS extension installed (the manual step done).
  BeforeEach { Initialize-NpsServer -Script $Script; Install-NpsExtension }

  It 'listens on the probe''s port and answers 200 while IAS runs' {
    $run = Invoke-Listener -Requests @(@{ Path = $probe })
    $run.Error | Should -BeNullOrEmpty
    $run.ExitCode | Should -Be 0
    @($global:Listener.Instance.Prefixes) | Should -Be @(('http://+:{0}/' -f $facts.nps.probe.port))
    @($global:Listener.Answers) | Should -Be @('200 IAS running')
    $global:Listener.Instance.Closed | Should -BeTrue
  }

  It 'answers 503 at the next probe once IAS stops, and 200 again once it runs' {
    Invoke-Listener -Requests @(
      @{ Path = $probe },
      @{ Path = $probe; Before = { $global:Nps.Service.Status = 'Stopped' } },
      @{ Path = $probe; Before = { $global:Nps.Service.Status = 'Running' } }
    ) | Out-Null
    @($global:Listener.Answers) | Should -Be @('200 IAS running', '503 IAS is Stopped', '200 IAS running')
  }

  It 'answers 503 while a configuration step drains the server' {
    Invoke-Listener -Requests @(@{ Path = $probe; Before = { New-Item -ItemType Directory -Path (Split-Path -Path (Get-DrainMarker) -Parent) -Force | Out-Null; Set-Content -LiteralPath (Get-DrainMarker) -Value 'x' } }) | Out-Null
    @($global:Listener.Answers) | Should -Be @('503 draining: a configuration step restarts IAS')
  }

  It 'answers 503 while the NPS extension is not registered with NPS, which would grant access on the password alone' {
    Invoke-Listener -Requests @(
      @{ Path = $probe; Before = { $global:Nps.Registry.Remove('HKLM:\SYSTEM\CurrentControlSet\Services\AuthSrv\Parameters') } },
      @{ Path = $probe; Before = { Install-NpsExtension } }
    ) | Out-Null
    @($global:Listener.Answers) | Should -Be @(
      '503 the NPS extension for Microsoft Entra MFA is not registered with NPS (MfaNpsAuthnExt.dll in ExtensionDLLs, MfaNpsAuthzExt.dll in AuthorizationDLLs missing): NPS alone would grant access on the password',
      '200 IAS running'
    )
  }

  It 'answers 503 when IAS is not installed, and 404 on another path' {
    $global:Nps.Service.Installed = $false
    Invoke-Listener -Requests @(@{ Path = $probe }, @{ Path = '/' }) | Out-Null
    @($global:Listener.Answers) | Should -Be @('503 the Network Policy Server service (IAS) is not installed', '404 not found')
  }

  It 'keeps listening when a prober goes away before its answer' {
    $run = Invoke-Listener -Requests @(@{ Path = $probe; Fails = $true }, @{ Path = $probe })
    $run.ExitCode | Should -Be 0
    @($global:Listener.Answers) | Should -Be @('200 IAS running')
    $run.Text | Should -Match 'a probe was not answered: .*The specified network name is no longer available.'
  }
}

Describe 'nps-certificate-check: <Name>' -ForEach $checks {
  BeforeAll {
    $facts = $Script.Facts
    $events = $facts.nps.certificateEvents
    function Set-ConfiguredCertificate {
      param([datetime] $NotAfter, [switch] $Missing)
      Install-NpsExtension
      $certificate = New-NpsCertificate -Thumbprint ('C1' * 20) -Subject 'CN=tenant, OU=Microsoft NPS Extension' -NotAfter $NotAfter
      if (-not $Missing) { $global:Nps.Certificates.Add($certificate) }
      $global:Nps.Registry['HKLM:\SOFTWARE\Microsoft\AzureMfa'].CLIENT_CERT_IDENTIFIER = @{ Type = 'String'; Value = $certificate.Thumbprint }
    }
  }

  BeforeEach { Initialize-NpsServer -Script $Script }

  It 'writes nothing while the extension is not configured here' {
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
    $global:Nps.Events.Count | Should -Be 0
  }

  It 'writes nothing while the certificate is valid beyond the warning period' {
    Set-ConfiguredCertificate -NotAfter (Get-Date).AddDays($events.warningDays + 5)
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
    $global:Nps.Events.Count | Should -Be 0
  }

  It 'warns, as the near-expiry alert reads it, when the certificate expires within the warning period' {
    Set-ConfiguredCertificate -NotAfter (Get-Date).AddDays($events.warningDays - 5)
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
    @($global:Nps.Events).Count | Should -Be 1
    $global:Nps.Events[0].LogName | Should -Be 'Application'
    $global:Nps.Events[0].Source | Should -Be $events.source
    $global:Nps.Events[0].EventId | Should -Be $events.nearExpiry.id
    $global:Nps.Events[0].EntryType | Should -Be $events.nearExpiry.level
    $global:Nps.Events[0].Message | Should -BeLike ('*{0} expires on *deploy again*' -f ('C1' * 20))
  }

  It 'raises the error the invalid-certificate alert reads when the certificate expired, or is gone' {
    Set-ConfiguredCertificate -NotAfter (Get-Date).AddDays(-1)
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
    Initialize-NpsServer -Script $Script
    Set-ConfiguredCertificate -NotAfter (Get-Date).AddDays(300) -Missing
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
    @($global:Nps.Events | ForEach-Object { '{0} {1}' -f $_.EventId, $_.EntryType }) | Should -Be @(('{0} {1}' -f $events.invalid.id, $events.invalid.level))
    Should -Invoke Write-EventLog -Exactly -Times 2 -ParameterFilter { $Source -eq $events.source -and $EventId -eq $events.invalid.id -and $EntryType -eq $events.invalid.level }
  }
}
