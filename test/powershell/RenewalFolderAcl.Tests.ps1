<#
  The folder of the certificate renewal task (Run Command `certificate-renewal-task`): SYSTEM runs the script in it
  every hour, so only SYSTEM and Administrators may own or write the folder and everything in it, whoever made them
  first. Ownership and ACLs are data (FolderAcl.ps1), changed by the mocked icacls.exe as icacls changes them; the
  tests compare that state, not the command lines.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  # The folder's lines are the same in every installer: one installer per tier is enough (CertificateRenewal.Tests.ps1 runs them all).
  $installers = @(Get-ScriptCase -Kind 'certificate-renewal-task' | Group-Object -Property { $_.Script.Tier } | ForEach-Object { $_.Group[0] })
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  . (Join-Path -Path $PSScriptRoot -ChildPath 'FolderAcl.ps1')
  $system = '*S-1-5-18'
  $administrators = '*S-1-5-32-544'
  $someUser = '*S-1-5-21-1004336348-1177238915-682003330-1001'
  $everyone = '*S-1-1-0'

  Mock Test-Path { $true } -ParameterFilter { $Path -like 'HKLM:*' }
  Mock New-EventLog { }
  Mock icacls.exe { Invoke-IcaclsModel -Arguments $Arguments }
  Mock Get-ScheduledTask { $null }
  Mock New-ScheduledTaskAction { [pscustomobject]@{} }
  Mock New-ScheduledTaskTrigger { [pscustomobject]@{} }
  Mock New-ScheduledTaskPrincipal { [pscustomobject]@{} }
  Mock New-ScheduledTaskSettingsSet { [pscustomobject]@{} }
  Mock Register-ScheduledTask { }

  <# The installer's parameters, as Run Command passes them: AD FS and the proxies also get their peers' addresses. #>
  function Get-InstallerParameters($Script) {
    if (@($Script.Parameters | Where-Object { $_.name -eq 'PeerAddresses' }).Count -gt 0) { @{ PeerAddresses = '10.1.2.11,10.1.2.12' } } else { @{} }
  }

  <# Who owns a path and who may write it, after the run. #>
  function Get-Access([string] $Path) {
    $node = Get-AclNode -Path $Path
    [pscustomobject]@{ Owner = $node.Owner; Writers = @(Get-Writer -Aces @(Get-EffectiveAce -Path $Path)) }
  }
}

Describe 'the renewal task''s folder: <Name>' -ForEach $installers {
  BeforeEach {
    Initialize-WindowsServer | Out-Null
    Initialize-FolderAcl
    $folder = Join-Path -Path $env:ProgramData -ChildPath 'MFA-HA'
    $file = Join-Path -Path $folder -ChildPath 'Update-CertificateBindings.ps1'
  }

  Context 'on a fresh server' {
    It 'makes a folder only SYSTEM and Administrators own and write, and so the script written into it' {
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-InstallerParameters $Script)
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      $folderAccess = Get-Access -Path $folder
      $folderAccess.Owner | Should -Be $administrators
      $folderAccess.Writers | Should -Be @($system, $administrators)
      (Get-AclNode -Path $folder).Protected | Should -BeTrue
      (Get-Access -Path $file).Writers | Should -Be @($system, $administrators)
      (Get-Access -Path $file).Owner | Should -BeIn @($system, $administrators)
    }

    It 'leaves the same state on a second run' {
      Invoke-GeneratedScript -Script $Script -Parameters (Get-InstallerParameters $Script) | Out-Null
      $first = $global:FolderAcl.Nodes.Clone()
      (Invoke-GeneratedScript -Script $Script -Parameters (Get-InstallerParameters $Script)).ExitCode | Should -Be 0
      foreach ($path in $first.Keys) { $global:FolderAcl.Nodes[$path] | Should -Be $first[$path] }
    }
  }

  Context 'when someone else made the folder first, and left files in it' {
    BeforeEach {
      # A user who could write %ProgramData% made the folder, opened it to everyone, and planted the script and another file.
      New-Item -ItemType Directory -Path $folder -Force | Out-Null
      Set-Content -LiteralPath $file -Value '# planted' -Encoding utf8
      Set-Content -LiteralPath (Join-Path -Path $folder -ChildPath 'other.ps1') -Value '# planted' -Encoding utf8
      Set-AclNode -Path $folder -Owner $someUser -Explicit @("${everyone}:(OI)(CI)F", "${someUser}:(OI)(CI)F")
      Set-AclNode -Path $file -Owner $someUser -Explicit @("${everyone}:F")
      Set-AclNode -Path (Join-Path -Path $folder -ChildPath 'other.ps1') -Owner $someUser -Explicit @("${someUser}:F") -Protected
    }

    It 'takes the folder and every file in it from their owner: SYSTEM or Administrators own them, and only they may write them' {
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-InstallerParameters $Script)
      $run.ExitCode | Should -Be 0
      foreach ($path in (Get-AclTree -Path $folder)) {
        $access = Get-Access -Path $path
        # Administrators took what was there; what the script writes afterwards is SYSTEM's, which created it.
        '{0}: {1}' -f $path, $access.Owner | Should -BeIn @(('{0}: {1}' -f $path, $administrators), ('{0}: {1}' -f $path, $system))
        '{0}: {1}' -f $path, ($access.Writers -join ', ') | Should -Be ('{0}: {1}, {2}' -f $path, $system, $administrators)
      }
      Get-Content -LiteralPath $file -Raw | Should -Not -Match 'planted'
    }
  }

  Context 'when icacls fails' {
    It 'exits 1 naming the step, before it writes the script' {
      Mock icacls.exe { $global:LASTEXITCODE = 5; 'Access is denied.' }
      $run = Invoke-GeneratedScript -Script $Script -Parameters (Get-InstallerParameters $Script)
      $run.ExitCode | Should -Be 1
      $run.Error | Should -BeLike 'certificate-renewal-task failed at "write the renewal script*": icacls could not restrict*'
      Test-Path -LiteralPath $file | Should -BeFalse
    }
  }
}

AfterAll {
  Remove-Variable -Name FolderAcl -Scope Global -ErrorAction SilentlyContinue
}
