<#
  The labs' trust of their self-signed certificates (Run Command `trust-lab-certificates`): each certificate's
  public part, DER in base64 as a plain Run Command parameter, into LocalMachine\Root. The store is mocked (on
  Linux LocalMachine\Root cannot be written); the certificates are real, made here.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $scripts = Get-ScriptCase -Kind 'trust-lab-certificates'
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $global:Root = @{}
  Mock New-Object {
    $global:Root.Opened = $ArgumentList
    $store = [pscustomobject]@{ Certificates = $global:Root.Certificates }
    $store | Add-Member -MemberType ScriptMethod -Name Open -Value { param($Flags) $null = Enter-Command 'X509Store.Open'; $global:Root.Mode = $Flags }
    $store | Add-Member -MemberType ScriptMethod -Name Add -Value { param($Certificate) $null = Enter-Command 'X509Store.Add'; $global:Root.Certificates += $Certificate; $global:Root.Added++ }
    $store | Add-Member -MemberType ScriptMethod -Name Close -Value { $global:Root.Closed = $true }
    $store
  } -ParameterFilter { $TypeName -eq 'System.Security.Cryptography.X509Certificates.X509Store' }

  function New-SelfSigned([string] $Name) {
    $key = [System.Security.Cryptography.RSA]::Create(2048)
    $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=$Name", $key, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $request.CreateSelfSigned((Get-Date).AddDays(-1), (Get-Date).AddDays(30))
  }
}

AfterAll {
  Remove-Variable -Name Root -Scope Global -ErrorAction SilentlyContinue
}

Describe 'trust-lab-certificates: <Name>' -ForEach $scripts {
  BeforeAll {
    $certificates = @{}
    $parameters = @{}
    foreach ($parameter in $Script.Parameters) {
      $parameter.protected | Should -BeFalse -Because 'public certificates are no secret'
      $certificates[$parameter.name] = New-SelfSigned -Name $parameter.name
      $parameters[$parameter.name] = [Convert]::ToBase64String($certificates[$parameter.name].RawData)
    }
  }
  BeforeEach { $global:Root = @{ Certificates = @(); Added = 0; Closed = $false } }

  It 'adds each certificate to LocalMachine\Root once, and closes the store' {
    $run = Invoke-GeneratedScript -Script $Script -Parameters $parameters
    $run.Error | Should -BeNullOrEmpty
    $run.ExitCode | Should -Be 0
    $global:Root.Opened | Should -Be @('Root', 'LocalMachine')
    $global:Root.Added | Should -Be $certificates.Count
    @($global:Root.Certificates | ForEach-Object { $_.Thumbprint } | Sort-Object) | Should -Be @($certificates.Values | ForEach-Object { $_.Thumbprint } | Sort-Object)
    $global:Root.Closed | Should -BeTrue
  }

  It 'changes nothing on a second run' {
    Invoke-GeneratedScript -Script $Script -Parameters $parameters | Out-Null
    (Invoke-GeneratedScript -Script $Script -Parameters $parameters).ExitCode | Should -Be 0
    $global:Root.Added | Should -Be $certificates.Count
  }

  It 'exits 1 naming the step, and closes the store, when a parameter is not a certificate' {
    $bad = $parameters.Clone()
    $bad[$Script.Parameters[0].name] = [Convert]::ToBase64String([byte[]](1, 2, 3))
    $run = Invoke-GeneratedScript -Script $Script -Parameters $bad
    $run.ExitCode | Should -Be 1
    $run.Error | Should -BeLike 'trust-lab-certificates failed at "add each certificate to LocalMachine\Root unless it is there":*'
    $global:Root.Closed | Should -BeTrue
  }

  It 'whatever single call fails, the next run leaves LocalMachine\Root as a clean run does' {
    $unrepaired = Test-RepairedByNextRun -Script $Script -Parameters $parameters -Initialize { $global:Root = @{ Certificates = @(); Added = 0; Closed = $false } } -State { @($global:Root.Certificates | ForEach-Object { $_.Thumbprint } | Sort-Object) }
    $unrepaired | Should -Be @()
  }
}
