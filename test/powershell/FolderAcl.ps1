<#
  NTFS ownership and ACLs as data, for the scripts that lock a folder down with icacls.exe: each folder and file has
  an owner, a protected flag (inheritance off) and its explicit ACEs in icacls' own notation (`*SID:(OI)(CI)F`).
  What a node inherits is computed from its parent, as NTFS propagates it: a folder's (OI) ACEs reach its files,
  its (CI) ACEs its subfolders, unless the child is protected. The mock of icacls.exe changes this state as
  icacls does (learn.microsoft.com/windows-server/administration/windows-commands/icacls):
    /setowner <sid> [/T]   the owner of the target [and everything under it]
    /reset [/T]            explicit ACEs removed and inheritance on, for the target [and everything under it]
    /inheritance:r         inheritance off: the inherited ACEs are gone, the explicit ones stay
    /grant:r <ace>...      the explicit grants of each named SID replaced by the one given
  Files the script writes with PowerShell appear in the model when icacls or the test first looks at them, owned by
  SYSTEM (the Run Command's account) with no ACE of their own.
#>

<# %ProgramData%'s ACL on Windows Server: Users may create files and folders in it, which is why the folder is locked. #>
function Initialize-FolderAcl {
  $global:FolderAcl = @{
    Root  = $env:ProgramData
    Nodes = @{
      $env:ProgramData = @{ Owner = '*S-1-5-18'; Protected = $true; Explicit = @(
          '*S-1-5-18:(OI)(CI)F', '*S-1-5-32-544:(OI)(CI)F', '*S-1-5-32-545:(OI)(CI)RX', '*S-1-5-32-545:(CI)(WD,AD,WEA,WA)') }
    }
  }
}

function Get-AclNode([string] $Path) {
  $full = [IO.Path]::GetFullPath($Path)
  if (-not $global:FolderAcl.Nodes.ContainsKey($full)) {
    $global:FolderAcl.Nodes[$full] = @{ Owner = '*S-1-5-18'; Protected = $false; Explicit = @() }
  }
  $global:FolderAcl.Nodes[$full]
}

<# A folder or file as someone else left it: its owner and explicit ACEs. #>
function Set-AclNode([string] $Path, [string] $Owner, [string[]] $Explicit = @(), [switch] $Protected) {
  $global:FolderAcl.Nodes[[IO.Path]::GetFullPath($Path)] = @{ Owner = $Owner; Protected = [bool]$Protected; Explicit = @($Explicit) }
}

<# The ACEs in effect on a path: its explicit ones, then what it inherits from its parent. #>
function Get-EffectiveAce([string] $Path) {
  $full = [IO.Path]::GetFullPath($Path)
  $node = Get-AclNode -Path $full
  $aces = @($node.Explicit)
  if ($full -ne $global:FolderAcl.Root -and -not $node.Protected) {
    $isFolder = Test-Path -LiteralPath $full -PathType Container
    $flag = if ($isFolder) { '(CI)' } else { '(OI)' }
    $aces += @(Get-EffectiveAce -Path (Split-Path -Path $full -Parent) | Where-Object { $_.Contains($flag) })
  }
  $aces
}

<# The SIDs an ACE set lets write or change permissions (full control, modify, write, write data, append, WRITE_DAC). #>
function Get-Writer([string[]] $Aces) {
  @($Aces | Where-Object { @($_.Split(':')[1] -split '[(),]' | Where-Object { $_ -in 'F', 'M', 'W', 'WD', 'AD', 'WDAC' }).Count -gt 0 } | ForEach-Object { $_.Split(':')[0] } | Sort-Object -Unique)
}

<# The folder and everything under it, as icacls /T walks it. #>
function Get-AclTree([string] $Path) {
  @([IO.Path]::GetFullPath($Path)) + @(Get-ChildItem -LiteralPath $Path -Recurse -Force | ForEach-Object { $_.FullName })
}

<# The mock body of icacls.exe: applies the arguments to the model, exit code 0. #>
function Invoke-IcaclsModel([string[]] $Arguments) {
  $target = $Arguments[0]
  $rest = @($Arguments | Select-Object -Skip 1)
  $targets = if ('/T' -in $rest) { Get-AclTree -Path $target } else { @([IO.Path]::GetFullPath($target)) }
  for ($i = 0; $i -lt $rest.Count; $i++) {
    switch -Exact ($rest[$i]) {
      '/setowner' { $owner = $rest[++$i]; foreach ($t in $targets) { (Get-AclNode -Path $t).Owner = $owner } }
      '/reset' { foreach ($t in $targets) { $n = Get-AclNode -Path $t; $n.Explicit = @(); $n.Protected = $false } }
      '/inheritance:r' { (Get-AclNode -Path $target).Protected = $true }
      '/grant:r' {
        $node = Get-AclNode -Path $target
        while ($i + 1 -lt $rest.Count -and -not $rest[$i + 1].StartsWith('/')) {
          $ace = $rest[++$i]
          $sid = $ace.Split(':')[0]
          $node.Explicit = @(@($node.Explicit | Where-Object { $_.Split(':')[0] -ne $sid }) + $ace)
        }
      }
      '/T' { }
      default { throw "the icacls model knows no $($rest[$i])" }
    }
  }
  $global:LASTEXITCODE = 0
}
