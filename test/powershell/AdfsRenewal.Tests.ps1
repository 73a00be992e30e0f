<#
  The certificate renewal on an AD FS server (kind certificate-renewal, tier adfs), against a server kept as
  state: the certificates in Cert:\LocalMachine\My, HTTP.sys's SSL bindings with every field `netsh http show
  sslcert` reports (the model in stubs/WindowsStubs.psm1), the certificate each endpoint of the AD FS service
  serves (what HTTP.sys held when the service last started), the private key's access list and the Application
  log. The tests compare those states, never the command lines that change them.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $adfs = @(Get-ScriptCase -Kind 'certificate-renewal' | Where-Object { $_.Script.Tier -eq 'adfs' })
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  . (Join-Path -Path $PSScriptRoot -ChildPath 'RenewalServer.ps1')
}

AfterAll {
  Remove-Variable -Name Server -Scope Global -ErrorAction SilentlyContinue
}

Describe 'certificate-renewal on an AD FS server: <Name>' -ForEach $adfs {
  BeforeAll {
    $facts = $Script.Facts
    $name = $facts.names.federationService
  }

  Context 'after the Key Vault extension installed a renewal' {
    BeforeEach { Initialize-AdfsRenewalServer -Facts $facts }

    It 'moves every AD FS binding to the new certificate and keeps every other field of each, as netsh show sslcert reports it' {
      $before = @(Get-HttpSysBinding)
      $run = Invoke-GeneratedScript -Script $Script
      $run.Error | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      $after = @(Get-HttpSysBinding)
      $after.Count | Should -Be $before.Count
      for ($i = 0; $i -lt $before.Count; $i++) {
        $after[$i]['Certificate Hash'] | Should -Be $New.ToLowerInvariant() -Because $before[$i]['Hostname:port']
        foreach ($field in $before[$i].Keys | Where-Object { $_ -ne 'Certificate Hash' }) {
          $after[$i][$field] | Should -Be $before[$i][$field] -Because ('{0}, {1}' -f $before[$i]['Hostname:port'], $field)
        }
      }
    }

    It 'serves the new certificate on every endpoint once it ran' {
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      Get-ServedCertificate | Should -Be @($New, $New, $New)
    }
  }

  Context 'when writing a binding fails half way' {
    It 'puts every binding back as it was, field by field, and AD FS serves the old certificate' {
      Initialize-AdfsRenewalServer -Facts $facts
      $before = @(Get-HttpSysBinding)
      $global:Server.RefuseBinding = 'localhost:443'
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 1
      $after = @(Get-HttpSysBinding)
      for ($i = 0; $i -lt $before.Count; $i++) {
        foreach ($field in $before[$i].Keys) {
          $after[$i][$field] | Should -Be $before[$i][$field] -Because ('{0}, {1}' -f $before[$i]['Hostname:port'], $field)
        }
      }
      Get-ServedCertificate | Should -Be @($Old, $Old, $Old)
    }
  }

  Context 'when the restart after the rebind fails' {
    It 'is repaired by the next run: AD FS then serves the new certificate' {
      Initialize-AdfsRenewalServer -Facts $facts
      $global:Server.FailRestarts = 1
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 1
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      Get-ServedCertificate | Should -Be @($New, $New, $New)
      @(Get-HttpSysBinding | ForEach-Object { $_['Certificate Hash'] }) | Should -Be @($New.ToLowerInvariant(), $New.ToLowerInvariant(), $New.ToLowerInvariant())
    }
  }

  Context 'when no other AD FS server answers its probe' {
    It 'changes nothing, keeps serving, and says it waits (event 1004); the next run moves once a peer serves' {
      Initialize-AdfsRenewalServer -Facts $facts
      Set-RenewalPeers -Serving @()
      $before = @(Get-HttpSysBinding)
      $run = Invoke-GeneratedScript -Script $Script
      $run.ExitCode | Should -Be 0
      @($global:Server.Events | Where-Object { $_.Id -eq 1004 -and $_.EntryType -eq 'Warning' }).Count | Should -Be 1
      @(Get-HttpSysBinding | ForEach-Object { $_['Certificate Hash'] }) | Should -Be @($before | ForEach-Object { $_['Certificate Hash'] })
      $global:Server.Restarts.Count | Should -Be 0
      Set-RenewalPeers -Serving @('10.1.2.12')
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      Get-ServedCertificate | Should -Be @($New, $New, $New)
    }

    It 'goes ahead when the certificate this server serves has expired: it serves no one' {
      Initialize-AdfsRenewalServer -Facts $facts
      Set-RenewalPeers -Serving @()
      $global:Server.Certificates[0].NotAfter = (Get-Date).AddMinutes(-5)
      (Invoke-GeneratedScript -Script $Script).ExitCode | Should -Be 0
      Get-ServedCertificate | Should -Be @($New, $New, $New)
    }
  }
}
