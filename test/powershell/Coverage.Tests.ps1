<#
  No generated script escapes execution: every kind of script in the manifest has a scenario file that runs it
  (one that asks the harness for that kind: `Get-ScriptCase -Kind '<kind>'` or `Get-GeneratedScript -Kind '<kind>'`). A new kind of script, or a kind
  whose scenarios are still to be written, fails here by name.
#>
BeforeDiscovery {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  $kinds = @(Get-GeneratedScript | ForEach-Object { $_.Kind } | Select-Object -Unique | Sort-Object | ForEach-Object { @{ Kind = $_ } })
}

BeforeAll {
  . (Join-Path -Path $PSScriptRoot -ChildPath 'Harness.ps1')
  # The kinds each scenario file asks for, read from its syntax tree (string arguments of -Kind).
  $script:covered = @{}
  foreach ($file in Get-ChildItem -Path $PSScriptRoot -Filter '*.Tests.ps1' | Where-Object { $_.Name -notin 'Parse.Tests.ps1', 'Coverage.Tests.ps1' }) {
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$null, [ref]$null)
    $calls = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] -and $node.GetCommandName() -in 'Get-ScriptCase', 'Get-GeneratedScript' }, $true)
    foreach ($call in $calls) {
      foreach ($element in $call.CommandElements) {
        if ($element -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $element.Value -notin 'Get-ScriptCase', 'Get-GeneratedScript') { $script:covered[$element.Value] = $file.Name }
      }
    }
  }
}

Describe 'every kind of generated script has scenarios' {
  It '<Kind> is run by a scenario file' -ForEach $kinds {
    $script:covered.Keys | Should -Contain $Kind -Because "no test/powershell/*.Tests.ps1 runs the $Kind scripts: add their scenarios"
  }
}
