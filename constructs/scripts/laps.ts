import { psQuote, renderScript, RenderedScript } from './powershell';
import { SET_REGISTRY_DWORD } from './server-state';

/* Windows LAPS for the built-in administrator of a domain member (issue 29, item 5). */

/** The Windows LAPS settings the toolkit writes. */
export interface LapsSettings {
  readonly passwordAgeDays: number;
  readonly passwordLength: number;
  /** Where the computer accounts are (domain.ouPath), to name in the precondition. */
  readonly ouPath?: string;
}

/**
 * Windows LAPS policy roots, highest precedence first ("Configure policy settings for Windows LAPS",
 * learn.microsoft.com/windows-server/identity/laps/laps-management-policy-settings): the first root with a setting wins.
 * The toolkit owns no Group Policy or Intune policy, so it writes the local configuration root and reports a higher one.
 */
export const LAPS_POLICY_ROOTS = {
  csp: 'HKLM:\\SOFTWARE\\Microsoft\\Policies\\LAPS',
  groupPolicy: 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\LAPS',
  local: 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\LAPS\\Config',
} as const;

/** Windows LAPS events ("Use Windows LAPS event logs"): processing succeeded, failed, password backed up to AD. */
export const LAPS_EVENTS = { succeeded: 10004, failed: 10005, backedUpToAd: 10018 } as const;

/**
 * windows-laps: the Windows LAPS policy (back the built-in administrator's password up to AD, rotate it), where this
 * Windows has Windows LAPS; then one processing cycle, whose outcome reports the domain's preconditions. Those are a
 * domain administrator's (Update-LapsADSchema, Set-LapsADComputerSelfPermission): the script names them, it does not
 * try them. Windows LAPS processes its policy every hour by itself, so it starts once they are met.
 */
export function lapsScript(settings: LapsSettings): RenderedScript {
  const values: Record<string, number> = {
    BackupDirectory: 2,
    PasswordAgeDays: settings.passwordAgeDays,
    PasswordLength: settings.passwordLength,
    PasswordComplexity: 4,
  };
  const ou = settings.ouPath ?? '<the OU of the computer accounts>';
  return renderScript({
    name: 'windows-laps',
    summary: `Windows LAPS for the local administrator: backed up to AD, ${settings.passwordLength} characters, rotated every ${settings.passwordAgeDays} days`,
    parameters: [],
    functions: [SET_REGISTRY_DWORD],
    steps: [
      {
        title: 'check that this Windows has Windows LAPS',
        lines: [
          "$available = $null -ne (Get-Command -Name 'Invoke-LapsPolicyProcessing' -ErrorAction SilentlyContinue)",
          "if (-not $available) { Write-Step 'Windows LAPS is not part of this Windows (Windows Server 2019 and later, with the April 2023 update): the local administrator keeps its password from Key Vault' }",
        ],
      },
      {
        title: 'write the Windows LAPS policy (local configuration): back up to Active Directory, complexity 4',
        lines: [
          'if ($available) {',
          `  foreach ($setting in @(${Object.entries(values)
            .map(([name, value]) => `@(${psQuote(name)}, ${value})`)
            .join(', ')})) {`,
          `    if (Set-RegistryDword -Path ${psQuote(LAPS_POLICY_ROOTS.local)} -Name $setting[0] -Value $setting[1]) { Write-Step ('{0} = {1}' -f $setting[0], $setting[1]) }`,
          '  }',
          '}',
        ],
      },
      {
        title: 'report a Windows LAPS policy that takes precedence (Intune or Group Policy)',
        lines: [
          `foreach ($root in @(${psQuote(LAPS_POLICY_ROOTS.csp)}, ${psQuote(LAPS_POLICY_ROOTS.groupPolicy)})) {`,
          '  $policy = Get-ItemProperty -Path $root -ErrorAction SilentlyContinue',
          "  if ($available -and $null -ne $policy -and @($policy.PSObject.Properties | Where-Object { $_.Name -notlike 'PS*' }).Count -gt 0) {",
          "    Write-Step ('a Windows LAPS policy under {0} applies here and takes precedence over these settings' -f $root)",
          '  }',
          '}',
        ],
      },
      {
        title: 'process the policy once and report the domain preconditions',
        lines: [
          'if ($available) {',
          '  $start = Get-Date',
          '  Invoke-LapsPolicyProcessing',
          `  $events = @(Get-WinEvent -FilterHashtable @{ LogName = 'Microsoft-Windows-LAPS/Operational'; Id = ${LAPS_EVENTS.succeeded}, ${LAPS_EVENTS.failed}, ${LAPS_EVENTS.backedUpToAd}; StartTime = $start } -ErrorAction SilentlyContinue)`,
          `  $failed = @($events | Where-Object { $_.Id -eq ${LAPS_EVENTS.failed} })`,
          `  if ($failed.Count -gt 0) {`,
          `    Write-Step ('MANUAL PRECONDITIONS (domain administrators): Windows LAPS could not back the password up to Active Directory ({0}). Once 1) Update-LapsADSchema (Schema Admins) and 2) Set-LapsADComputerSelfPermission -Identity ''{1}'' (Domain Admins) are done, it does by itself within the hour' -f (($failed[0].Message -split [Environment]::NewLine) -join ' '), ${psQuote(ou)})`,
          `  } elseif (@($events | Where-Object { $_.Id -eq ${LAPS_EVENTS.succeeded} }).Count -gt 0) {`,
          `    Write-Step $(if (@($events | Where-Object { $_.Id -eq ${LAPS_EVENTS.backedUpToAd} }).Count -gt 0) { 'the password is rotated and backed up to Active Directory' } else { 'Windows LAPS processed the policy: the password is in Active Directory' })`,
          '  } else {',
          "    Write-Step 'Windows LAPS reported no result yet: see the Microsoft-Windows-LAPS/Operational log'",
          '  }',
          '}',
        ],
      },
    ],
  });
}
