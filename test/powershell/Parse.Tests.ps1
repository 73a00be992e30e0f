<#
  Every generated script parses with PowerShell's own parser, with zero errors: each Run Command script,
  each role installation (CustomScriptExtension command) and the DNS script, of dev, prod, the longest
  configuration and prod at the migration stages parallel, entra and mfa-server.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $scripts = Get-ScriptCase
}

Describe 'PowerShell parses every generated script' {
  BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  }

  It 'finds scripts of every environment in the manifest' {
    $environments = @((Get-ScriptManifest).environments | ForEach-Object { $_.env })
    $environments | Should -Be @('dev', 'prod', 'longest', 'prod-parallel', 'prod-entra', 'prod-mfa-server')
    foreach ($environment in $environments) {
      @((Get-ScriptManifest).scripts | Where-Object { $_.env -eq $environment }).Count | Should -BeGreaterThan 10
    }
  }

  It '<Name>' -ForEach $scripts {
    $tokens = $null
    $errors = $null
    $null = [System.Management.Automation.Language.Parser]::ParseInput((Get-Content -LiteralPath $Script.Path -Raw), [ref]$tokens, [ref]$errors)
    @($errors | ForEach-Object { 'line {0}: {1}' -f $_.Extent.StartLineNumber, $_.Message }) | Should -Be @()
  }
}
