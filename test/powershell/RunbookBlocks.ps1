<#
  What Runbook.Tests.ps1 dot-sources (in BeforeDiscovery and in BeforeAll): the PowerShell blocks of
  docs/migration.md, the runbook of prod at each stage.
#>

Set-StrictMode -Version Latest

<# Every ```powershell block of docs/migration.md: its stage, section, step and text, in document order. #>
function Get-RunbookBlock {
  $lines = Get-Content -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath '../../docs/migration.md')
  $stage = $null; $section = $null; $step = $null; $block = $null
  foreach ($line in $lines) {
    if ($null -ne $block) {
      if ($line -eq '```') {
        @{ Name = '{0} / {1} / {2}' -f $stage, $section, $step; Stage = $stage; Section = $section; Step = $step; Text = $block -join "`n" }
        $block = $null
      } else { $block += $line }
      continue
    }
    if ($line -match '^## Stage (\S+)$') { $stage = $Matches[1] }
    elseif ($line -match '^### \d+\. (.+)$') { $section = $Matches[1] }
    elseif ($line -match '^\*\*(\d+\.\d+ .+?)\*\*') { $step = $Matches[1] }
    elseif ($line -eq '```powershell') { $block = @() }
  }
}
