/*
 * What a VM size can carry, judged from its name (learn.microsoft.com/azure/virtual-machines/vm-naming-conventions:
 * [Family] + [Sub-family] + [# of vCPUs] + [Constrained vCPUs] + [Additive features] + [Accelerator] + [Version],
 * where the lower-case letter "s" means "Premium Storage capable") and a small table of series whose own pages
 * say what the name cannot. Where neither tells, the answer is "unknown" and the size is accepted: a guess would
 * refuse sizes Azure accepts. Every server uses Trusted Launch (secure boot + vTPM), encryption at host and the
 * configured OS disk type.
 */

/** A VM size name, taken apart. */
export interface VmSizeName {
  readonly text: string;
  /** Family and sub-family letters: `D`, `DC`, `NC`, `DS` (the older premium-storage naming). */
  readonly family: string;
  readonly vcpus: number;
  /** Additive feature letters, lower case: `s`, `ads`, `ms`. */
  readonly features: string;
  /** Accelerator type, such as `T4` or `A100`. */
  readonly accelerator?: string;
  /** Family version: 5 for `_v5`; undefined for a first version. */
  readonly version?: number;
}

/** Parses `Standard_D4s_v5`; undefined for a name that does not follow the convention. */
export function parseVmSize(text: string): VmSizeName | undefined {
  const m = /^Standard_([A-Z]+)(\d+)(?:-\d+)?([a-z]*)(?:_([A-Z][A-Za-z0-9]*))?(?:_v(\d+))?$/.exec(text);
  if (!m) return undefined;
  return { text, family: m[1], vcpus: Number(m[2]), features: m[3], accelerator: m[4], version: m[5] === undefined ? undefined : Number(m[5]) };
}

/** A capability verdict, with the documented reason. */
export type Verdict = { readonly supported: true } | { readonly supported: false; readonly reason: string } | { readonly supported: 'unknown' };

const SIZES = 'learn.microsoft.com/azure/virtual-machines/sizes';
const TRUSTED_LAUNCH = 'learn.microsoft.com/azure/virtual-machines/trusted-launch#virtual-machines-sizes';

/** A series a rule names, and how to recognize its sizes. */
interface Series {
  readonly name: string;
  readonly matches: (size: VmSizeName) => boolean;
  readonly source: string;
}

const plain = (family: string, version: number | undefined) => (s: VmSizeName) => s.family === family && s.version === version && s.features === '';

/** Series without an "s" whose page says "Premium Storage: Not Supported". */
export const NOT_PREMIUM_STORAGE_CAPABLE: readonly Series[] = [
  { name: 'Av2-series', matches: (s) => s.family === 'A' && s.version === 2 && !s.features.includes('s'), source: `${SIZES}/general-purpose/av2-series` },
  { name: 'Dv2-series', matches: plain('D', 2), source: `${SIZES}/general-purpose/dv2-series#feature-support` },
  { name: 'Dv3-series', matches: plain('D', 3), source: `${SIZES}/general-purpose/dv3-series` },
  { name: 'Dv4-series', matches: plain('D', 4), source: `${SIZES}/general-purpose/dv4-series#feature-support` },
  { name: 'Dv5-series', matches: plain('D', 5), source: `${SIZES}/general-purpose/dv5-series#feature-support` },
  {
    name: 'Ddv5-series',
    matches: (s) => s.family === 'D' && s.version === 5 && s.features === 'd',
    source: `${SIZES}/general-purpose/ddv5-series#feature-support`,
  },
  {
    name: 'Dav4-series',
    matches: (s) => s.family === 'D' && s.version === 4 && s.features === 'a',
    source: `${SIZES}/general-purpose/dav4-series#feature-support`,
  },
  // Standard_E2_v5 … Standard_E96_v5 and the isolated Standard_E104i_v5.
  {
    name: 'Ev5-series',
    matches: (s) => s.family === 'E' && s.version === 5 && (s.features === '' || s.features === 'i'),
    source: `${SIZES}/memory-optimized/ev5-series#feature-support`,
  },
];

/** Series the Trusted Launch page lists as "not supported" or "currently not supported". */
export const NO_TRUSTED_LAUNCH: readonly Series[] = [
  { name: 'A-family', matches: (s) => s.family === 'A', source: TRUSTED_LAUNCH },
  { name: 'Dv2-series', matches: plain('D', 2), source: TRUSTED_LAUNCH },
  { name: 'Dv3-series', matches: plain('D', 3), source: TRUSTED_LAUNCH },
  { name: 'DC-Confidential-family', matches: (s) => s.family === 'DC', source: TRUSTED_LAUNCH },
  { name: 'EC-Confidential-family', matches: (s) => s.family === 'EC', source: TRUSTED_LAUNCH },
  { name: 'M-family', matches: (s) => s.family === 'M', source: TRUSTED_LAUNCH },
  {
    name: 'Arm64 Dpsv5, Dpdsv5, Dplsv5 and Dpldsv5 series',
    matches: (s) => s.family === 'D' && s.version === 5 && s.features.includes('p'),
    source: TRUSTED_LAUNCH,
  },
  { name: 'NC-series (first version)', matches: (s) => s.family === 'NC' && s.version === undefined, source: TRUSTED_LAUNCH },
  { name: 'NV-series (first version)', matches: (s) => s.family === 'NV' && s.version === undefined, source: TRUSTED_LAUNCH },
  { name: 'NP-series', matches: (s) => s.family === 'NP', source: TRUSTED_LAUNCH },
  {
    name: 'NDasrA100_v4 and NDm_A100_v4 series',
    matches: (s) => s.family === 'ND' && s.version === 4 && (s.accelerator === 'A100' || s.features.includes('r')),
    source: TRUSTED_LAUNCH,
  },
];

function judge(size: string, notSupported: readonly Series[], supported: (s: VmSizeName) => boolean): Verdict {
  const parsed = parseVmSize(size);
  if (parsed === undefined) return { supported: 'unknown' };
  const series = notSupported.find((s) => s.matches(parsed));
  if (series) return { supported: false, reason: `the ${series.name} does not support it (${series.source})` };
  return supported(parsed) ? { supported: true } : { supported: 'unknown' };
}

const NAMING = 'learn.microsoft.com/azure/virtual-machines/vm-naming-conventions';
/** Where a series' page says which operating systems it serves: Linux VMs and Windows client VMs, not Windows Server. */
const ARM64_SERIES_PAGE = `${SIZES}/general-purpose/dpsv6-series`;

/**
 * The processor architecture of a size: "p" among the additive features is an Arm CPU ("p = ARM Cpu", the naming
 * page), so Dpsv5, Dpldsv6, Epsv6, Bpsv2 and the like are Arm64; a size without it is x64. Windows Server's
 * Marketplace images are x64, and the Arm64 series apply to Linux VMs and Windows client VMs only.
 */
export function architecture(size: string): 'x64' | 'Arm64' | 'unknown' {
  const parsed = parseVmSize(size);
  return parsed === undefined ? 'unknown' : parsed.features.includes('p') ? 'Arm64' : 'x64';
}

/** Why an Arm64 size cannot run the servers, and its x64 twin (the name without the "p"). */
export function arm64Refusal(size: string): { reason: string; twin: string } {
  // The additive features are the lower-case letters after the vCPU count (and a constrained count, D8-4ps_v5).
  const twin = size.replace(/^(Standard_[A-Z]+\d+(?:-\d+)?[a-oq-z]*)p/, '$1');
  return {
    reason: `("p" in the name: an Arm CPU, ${NAMING}), and Windows Server runs on x64 only: the Arm64 series serve Linux and Windows client VMs (${ARM64_SERIES_PAGE})`,
    twin,
  };
}

/** Premium SSDs (Premium_LRS, Premium_ZRS) need a premium-storage capable size. */
export function premiumStorage(size: string): Verdict {
  // "s" in the additive features, or the older DS and GS series named for premium storage. Sizes without it may
  // still support premium storage (the naming page names M64 and M128), hence "unknown" outside the table.
  return judge(size, NOT_PREMIUM_STORAGE_CAPABLE, (s) => s.features.includes('s') || s.family === 'DS' || s.family === 'GS');
}

/** Trusted Launch (secure boot and vTPM on a Generation 2 VM). */
export function trustedLaunch(size: string): Verdict {
  return judge(size, NO_TRUSTED_LAUNCH, () => false);
}

/** Disk types that are Premium SSDs. */
export const PREMIUM_DISK_TYPES: readonly string[] = ['Premium_LRS', 'Premium_ZRS'];
