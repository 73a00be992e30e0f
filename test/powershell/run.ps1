<#
  Runs every PowerShell test in this one process: the parse check of every generated script and the Pester
  scenarios (test/powershell/*.Tests.ps1), against the scripts `npm run test:ps` exported to -Manifest.
  Prints Pester's summary, then one closing line: "PowerShell: N passed, N failed". Exit 0 only when every
  test ran and passed.
#>
param(
  [Parameter(Mandatory = $true)] [string] $Manifest,
  [Parameter(Mandatory = $true)] [string] $Pester,
  # The exporter writes this file once the manifest is complete: pwsh starts and loads Pester meanwhile.
  [string] $Ready = "$Manifest.ready",
  # Only these test files (names without .Tests.ps1), while working on one: `npm run test:ps -- AdfsFarm`.
  [string[]] $Only = @()
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

Import-Module -Name $Pester
$deadline = (Get-Date).AddMinutes(3)
while (-not (Test-Path -LiteralPath $Ready)) {
  if ((Get-Date) -gt $deadline) { throw "no script manifest at $Manifest after 3 minutes" }
  Start-Sleep -Milliseconds 50
}
$env:MFA_HA_SCRIPT_MANIFEST = $Manifest

$configuration = New-PesterConfiguration
$configuration.Run.Path = if ($Only.Count -gt 0) { @($Only -split ',' | ForEach-Object { Join-Path -Path $PSScriptRoot -ChildPath ('{0}.Tests.ps1' -f $_) }) } else { $PSScriptRoot }
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Normal'
$configuration.Should.ErrorAction = 'Stop'
$result = Invoke-Pester -Configuration $configuration

$problems = @()
if ($result.SkippedCount -gt 0) { $problems += '{0} skipped' -f $result.SkippedCount }
if ($result.NotRunCount -gt 0) { $problems += '{0} not run' -f $result.NotRunCount }
if ($result.FailedBlocksCount -gt 0) { $problems += '{0} blocks failed' -f $result.FailedBlocksCount }
if ($result.FailedContainersCount -gt 0) { $problems += '{0} files failed' -f $result.FailedContainersCount }
$line = 'PowerShell: {0} passed, {1} failed' -f $result.PassedCount, $result.FailedCount
if ($problems.Count -gt 0) { $line += ' ({0})' -f ($problems -join ', ') }
Write-Host $line
if ($result.Result -ne 'Passed' -or $result.FailedCount -gt 0 -or $problems.Count -gt 0 -or $result.PassedCount -eq 0) { exit 1 }
exit 0
