<#
  The tenant certificate of each AD FS server (Run Command `entra-mfa-certificate-<generation>`), the task that
  checks it daily (`entra-mfa-certificate-check-task`) and the check itself. Each server's LocalMachine\My is the
  model's (stubs/WindowsStubs.psm1), with real certificates, so that the line Terraform reads is checked with
  the regex Terraform uses (facts.migration.certificateOutputPattern, read from the synthesized registration).
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $certificates = Get-ScriptCase -Kind 'entra-mfa-certificate'
  # The generations after the first renew the one before.
  $renewals = @($certificates | Where-Object { $_.Script.Addresses[0] -notlike '*entra-mfa-certificate-1_*' })
  $installers = Get-ScriptCase -Kind 'entra-mfa-certificate-check-task'
  $checks = Get-ScriptCase -Kind 'entra-mfa-certificate-check'
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  . (Join-Path -Path $PSScriptRoot -ChildPath 'EntraMfaFarm.ps1')

  <# The generation a certificate script makes, from its Run Command's name. #>
  function Get-Generation { param($Script) [int]([regex]::Match($Script.Addresses[0], 'entra-mfa-certificate-(\d+)_').Groups[1].Value) }

  <# The tenant certificates of the current server. #>
  function Get-TenantCertificates { param([string] $TenantId) @(Get-AdfsFarmCertificate | Where-Object { $_.Subject -eq ('CN={0}, OU=Microsoft AD FS Azure MFA' -f $TenantId) }) }

  <# What the current server's record says: generation -> thumbprint. #>
  function Get-Record {
    $path = Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA/entra-mfa/tenant-certificates.txt'
    if (-not (Test-Path -LiteralPath $path)) { return @() }
    @(Get-Content -LiteralPath $path)
  }

  <# The generations before the script's, as earlier Run Commands left them: a record line and a certificate each. #>
  function Initialize-EarlierGenerations {
    param([string] $TenantId, [int] $Generation, [datetime] $NotAfter = (Get-Date).AddDays(30))
    $lines = @()
    for ($g = 1; $g -lt $Generation; $g++) {
      $certificate = New-AdfsTenantCertificate -TenantId $TenantId -NotBefore (Get-Date).AddYears(-2).AddDays($g) -NotAfter $NotAfter.AddDays($g - $Generation + 1)
      (Get-AdfsFarmServer).Store.Add($certificate)
      $lines += '{0} {1}' -f $g, $certificate.Thumbprint
    }
    if ($lines) {
      $folder = Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA/entra-mfa'
      New-Item -ItemType Directory -Path $folder -Force | Out-Null
      Set-Content -LiteralPath (Join-Path -Path $folder -ChildPath 'tenant-certificates.txt') -Value $lines
    }
  }

  <# The certificate the run printed, read with Terraform's regex: thumbprint, start, end and the certificate. #>
  function Read-PrintedCertificate {
    param($Run, [string] $Pattern)
    $found = [regex]::Match(($Run.Output -join "`n"), $Pattern)
    if (-not $found.Success) { throw 'the run printed no certificate line Terraform can read' }
    [pscustomobject]@{
      Thumbprint = $found.Groups[1].Value; Start = $found.Groups[2].Value; End = $found.Groups[3].Value
      Certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new([Convert]::FromBase64String($found.Groups[4].Value))
    }
  }

  $utc = { param($Date) $Date.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ', [Globalization.CultureInfo]::InvariantCulture) }
}

AfterAll {
  Remove-Variable -Name EntraMfaServers, PreviousCertificate, CheckTask, CheckEvents -Scope Global -ErrorAction SilentlyContinue
}

Describe 'entra-mfa-certificate: <Name>' -ForEach $certificates {
  BeforeAll {
    $facts = $Script.Facts
    $tenant = $facts.migration.tenantId
    $generation = Get-Generation -Script $Script
    $pattern = $facts.migration.certificateOutputPattern
  }

  BeforeEach {
    Initialize-EntraMfaFarm -Facts $facts
    Use-AdfsServer -Computer (Get-AdfsComputer -Facts $facts -Number 2) | Out-Null
    Initialize-EarlierGenerations -TenantId $tenant -Generation $generation
    $earlier = @(Get-TenantCertificates -TenantId $tenant)
    $earlierThumbprints = @($earlier | ForEach-Object { $_.Thumbprint })
  }

  Context 'on a server without this generation' {
    It 'makes one certificate, records it, and prints it as Terraform reads it' {
      $run = Invoke-GeneratedScript -Script $Script
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      $made = @(Get-TenantCertificates -TenantId $tenant | Where-Object { $_.Thumbprint -notin $earlierThumbprints })
      $made.Count | Should -Be 1
      @(Get-TenantCertificates -TenantId $tenant).Count | Should -Be ($earlier.Count + 1) -Because 'the earlier generations stay until they expire'
      Get-Record | Select-Object -Last 1 | Should -Be ('{0} {1}' -f $generation, $made[0].Thumbprint)
      $printed = Read-PrintedCertificate -Run $run -Pattern $pattern
      $printed.Thumbprint | Should -Be $made[0].Thumbprint
      $printed.Certificate.Thumbprint | Should -Be $made[0].Thumbprint
      $printed.Start | Should -Be (& $utc $made[0].NotBefore)
      $printed.End | Should -Be (& $utc $made[0].NotAfter)
      $run.Output[-2] | Should -BeLike 'ENTRA-MFA-TENANT-CERTIFICATE *' -Because 'Run Command keeps the end of the output: the line comes last, before "done"'
    }

    It 'renews the previous generation while it is valid, or makes the first one' {
      Invoke-GeneratedScript -Script $Script | Out-Null
      $made = @(Get-TenantCertificates -TenantId $tenant | Where-Object { $_.Thumbprint -notin $earlierThumbprints })[0]
      $renewals = @((Get-AdfsFarmModel).Calls | Where-Object { $_.Command -eq 'New-AdfsAzureMfaTenantCertificate' } | ForEach-Object { $_.Detail })
      if ($generation -eq 1) {
        $renewals | Should -Be @('Renew=False')
      } else {
        $renewals | Should -Be @('Renew=True')
        $made.NotBefore | Should -BeGreaterThan (Get-Date).AddDays(1) -Because 'a renewal starts two days after it is made'
      }
      Test-Path -LiteralPath (Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA/entra-mfa/restart-pending') | Should -BeFalse
    }

    It 'changes nothing on a second run, and prints the same certificate' {
      $first = Read-PrintedCertificate -Run (Invoke-GeneratedScript -Script $Script) -Pattern $pattern
      $second = Invoke-GeneratedScript -Script $Script
      $second.ExitCode | Should -Be 0
      $second.Text | Should -Match 'already created'
      (Read-PrintedCertificate -Run $second -Pattern $pattern).Thumbprint | Should -Be $first.Thumbprint
      @(Get-TenantCertificates -TenantId $tenant).Count | Should -Be ($earlier.Count + 1)
      @((Get-AdfsFarmModel).Calls | Where-Object { $_.Command -eq 'New-AdfsAzureMfaTenantCertificate' }).Count | Should -Be 1
    }
  }

  Context 'when the previous certificate has expired' {
    It 'removes it, makes a new one without -Renew, and asks for a restart of AD FS' {
      Initialize-EntraMfaFarm -Facts $facts
      Use-AdfsServer -Computer (Get-AdfsComputer -Facts $facts -Number 2) | Out-Null
      $expired = New-AdfsTenantCertificate -TenantId $tenant -NotBefore (Get-Date).AddYears(-2) -NotAfter (Get-Date).AddDays(-1)
      (Get-AdfsFarmServer).Store.Add($expired)
      if ($generation -gt 1) {
        New-Item -ItemType Directory -Path (Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA/entra-mfa') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA/entra-mfa/tenant-certificates.txt') -Value ('{0} {1}' -f ($generation - 1), $expired.Thumbprint)
      }
      $run = Invoke-GeneratedScript -Script $Script
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      @(Get-TenantCertificates -TenantId $tenant | ForEach-Object { $_.Thumbprint }) | Should -Not -Contain $expired.Thumbprint
      @(Get-TenantCertificates -TenantId $tenant | Where-Object { $_.NotAfter -gt (Get-Date) }).Count | Should -Be 1
      @((Get-AdfsFarmModel).Calls | Where-Object { $_.Command -eq 'New-AdfsAzureMfaTenantCertificate' } | ForEach-Object { $_.Detail }) | Should -Be @('Renew=False')
      Test-Path -LiteralPath (Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA/entra-mfa/restart-pending') | Should -BeTrue
    }
  }

  Context 'when a run stopped after making the certificate and before recording it' {
    It 'finds that certificate instead of making another' {
      Mock Add-Content { throw 'The process cannot access the file because it is being used by another process.' } -ParameterFilter { $LiteralPath -like '*tenant-certificates.txt' }
      $failed = Invoke-GeneratedScript -Script $Script
      $failed.ExitCode | Should -Be 1
      $failed.Error | Should -BeLike ('entra-mfa-certificate-{0} failed at "make sure generation {0} has its certificate": *' -f $generation)
      Mock Add-Content { & (Get-Command -Name 'Add-Content' -CommandType Cmdlet) @PesterBoundParameters } -ParameterFilter { $LiteralPath -like '*tenant-certificates.txt' }
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      $run.Text | Should -Match 'made by an earlier run that did not finish'
      @(Get-TenantCertificates -TenantId $tenant).Count | Should -Be ($earlier.Count + 1)
    }
  }

  Context 'when a step fails' {
    It 'exits 1 naming the step when New-AdfsAzureMfaTenantCertificate fails, and a second run makes one certificate' {
      Set-AdfsFarmFailure -Command 'New-AdfsAzureMfaTenantCertificate' -Message 'The Key Storage Provider could not create the key.'
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike ('entra-mfa-certificate-{0} failed at "make sure generation {0} has its certificate": The Key Storage Provider could not create the key.' -f $generation)
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      @(Get-TenantCertificates -TenantId $tenant).Count | Should -Be ($earlier.Count + 1)
    }
  }
}

Describe 'entra-mfa-certificate, a renewal: <Name>' -ForEach $renewals {
  It 'refuses a renewal that returns the certificate it had (the tenant id in another format), and records nothing' {
    $tenant = $Script.Facts.migration.tenantId
    $generation = Get-Generation -Script $Script
    Initialize-EntraMfaFarm -Facts $Script.Facts
    Initialize-EarlierGenerations -TenantId $tenant -Generation $generation
    # Global: mock bodies run in Pester's scope, not in this test's.
    $global:PreviousCertificate = @(Get-TenantCertificates -TenantId $tenant)[0]
    Mock New-AdfsAzureMfaTenantCertificate { [Convert]::ToBase64String($global:PreviousCertificate.RawData) }
    $run = Invoke-GeneratedScript -Script $Script
    $run.ExitCode | Should -Be 1
    $run.Error | Should -BeLike '*the renewal returned the certificate it had*was the previous one made with the tenant id in another format*'
    Get-Record | Should -HaveCount ($generation - 1)
  }
}

Describe 'entra-mfa-certificate-check-task: <Name>' -ForEach $installers {
  BeforeAll {
    # The check this installer writes: the one of the same tenant.
    $check = @(Get-GeneratedScript -Kind 'entra-mfa-certificate-check' | Where-Object { $_.Facts.migration.tenantId -eq $Script.Facts.migration.tenantId })[0]
  }

  BeforeEach {
    Initialize-WindowsServer -ComputerName 'PROD-ADFS2' | Out-Null
    $global:CheckTask = @{ Source = $false; Task = $null; Registrations = 0 }
    Mock Test-Path { $global:CheckTask.Source } -ParameterFilter { $Path -like 'HKLM:*MFA-HA-EntraMfa' }
    Mock New-EventLog { $global:CheckTask.Source = $true }
    Mock Get-ScheduledTask { $global:CheckTask.Task }
    Mock New-ScheduledTaskAction { [pscustomobject]@{ Execute = $Execute; Argument = $Argument } }
    Mock New-ScheduledTaskTrigger { [pscustomobject]@{ Daily = [bool]$Daily; AtStartup = [bool]$AtStartup; At = $At } }
    Mock New-ScheduledTaskPrincipal { [pscustomobject]@{ UserId = $UserId; LogonType = $LogonType; RunLevel = $RunLevel } }
    Mock New-ScheduledTaskSettingsSet { [pscustomobject]@{ StartWhenAvailable = [bool]$StartWhenAvailable } }
    Mock Register-ScheduledTask { $global:CheckTask.Registrations++; $global:CheckTask.Task = [pscustomobject]@{ TaskName = $TaskName; TaskPath = $TaskPath; Description = $Description; Action = $Action; Trigger = $Trigger; Principal = $Principal } }
  }

  It 'registers the event source, writes the check the manifest holds, and registers its task as SYSTEM, daily and at startup' {
    $run = Invoke-GeneratedScript -Script $Script
    $run.Error | Should -BeNullOrEmpty
    $run.ExitCode | Should -Be 0
    $global:CheckTask.Source | Should -BeTrue
    $path = Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA/Test-EntraMfaCertificate.ps1'
    Get-Content -LiteralPath $path -Raw | Should -BeExactly ((Get-Content -LiteralPath $check.Path -Raw).TrimStart([char]0xFEFF))
    $task = $global:CheckTask.Task
    '{0}{1}' -f $task.TaskPath, $task.TaskName | Should -Be '\MFA-HA\Entra MFA certificate check'
    $task.Principal.UserId | Should -Be 'SYSTEM'
    @($task.Trigger | Where-Object { $_.Daily }).Count | Should -Be 1
    @($task.Trigger | Where-Object { $_.AtStartup }).Count | Should -Be 1
    $task.Action.Argument | Should -BeLike ('*-File "{0}"' -f $path)
  }

  It 'changes nothing on a second run' {
    Invoke-GeneratedScript -Script $Script | Out-Null
    $second = Invoke-GeneratedScript -Script $Script
    $second.ExitCode | Should -Be 0
    $global:CheckTask.Registrations | Should -Be 1
    Should -Invoke New-EventLog -Exactly -Times 1
  }

  It 'exits 1 naming the step when the task cannot be registered' {
    Mock Register-ScheduledTask { throw 'Access is denied.' }
    $run = Invoke-GeneratedScript -Script $Script
    $run.ExitCode | Should -Be 1
    $run.Error | Should -BeLike 'entra-mfa-certificate-check-task failed at "register the scheduled task \MFA-HA\Entra MFA certificate check (SYSTEM)": Access is denied.'
  }
}

Describe 'entra-mfa-certificate-check: <Name>' -ForEach $checks {
  BeforeAll {
    $facts = $Script.Facts
    $tenant = $facts.migration.tenantId
  }

  BeforeEach {
    Initialize-EntraMfaFarm -Facts $facts
    $global:CheckEvents = @()
    Mock Write-EventLog { $global:CheckEvents += [pscustomobject]@{ Source = $Source; Id = $EventId; EntryType = $EntryType; Message = $Message } }
  }

  It 'writes no event while the newest certificate is far from expiry' {
    (Get-AdfsFarmServer).Store.Add((New-AdfsTenantCertificate -TenantId $tenant -NotAfter (Get-Date).AddDays(20)))
    (Get-AdfsFarmServer).Store.Add((New-AdfsTenantCertificate -TenantId $tenant -NotAfter (Get-Date).AddDays(400)))
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
    $global:CheckEvents | Should -BeNullOrEmpty
  }

  It 'warns (event 1201) when the newest valid certificate expires within 60 days, naming it' {
    $soon = New-AdfsTenantCertificate -TenantId $tenant -NotAfter (Get-Date).AddDays(59)
    (Get-AdfsFarmServer).Store.Add($soon)
    (Get-AdfsFarmServer).Store.Add((New-AdfsTenantCertificate -TenantId 'another-tenant.onmicrosoft.com' -NotAfter (Get-Date).AddDays(700)))
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
    $global:CheckEvents | Should -HaveCount 1
    $global:CheckEvents[0].Source | Should -Be 'MFA-HA-EntraMfa'
    $global:CheckEvents[0].Id | Should -Be 1201
    $global:CheckEvents[0].EntryType | Should -Be 'Warning'
    $global:CheckEvents[0].Message | Should -BeLike ('*{0}*raise migration.adfsCertificateGeneration*' -f $soon.Thumbprint)
  }

  It 'reports an error (event 1202) when no certificate is valid: expired, or not yet started' {
    (Get-AdfsFarmServer).Store.Add((New-AdfsTenantCertificate -TenantId $tenant -NotBefore (Get-Date).AddYears(-2) -NotAfter (Get-Date).AddDays(-1)))
    (Get-AdfsFarmServer).Store.Add((New-AdfsTenantCertificate -TenantId $tenant -NotBefore (Get-Date).AddDays(2) -NotAfter (Get-Date).AddYears(2)))
    (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
    $global:CheckEvents | Should -HaveCount 1
    $global:CheckEvents[0].Id | Should -Be 1202
    $global:CheckEvents[0].EntryType | Should -Be 'Error'
  }
}
