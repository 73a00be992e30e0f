import { overlaps, parseCidr } from './cidr';
import { broadPublicRange } from './networks';
import type { RuleViolation } from './rules';
import type { Environment } from './schema';

/**
 * The intranet client ranges (`adfs.intranetClientCidrs`), which the AD FS subnet admits on the farm's ports: each
 * outside the virtual network (its own tiers reach AD FS through their flows, and a range over the virtual network
 * would open AD FS to every tier of it), none twice, none the whole Internet (the proxies serve the Internet).
 */
export function* intranetViolations(env: Environment): Generator<RuleViolation> {
  const vnet = parseCidr(env.network.addressSpace)!;
  const seen = new Map<string, number>();
  for (const [i, text] of env.adfs.intranetClientCidrs.entries()) {
    const path = `adfs.intranetClientCidrs[${i}]`;
    const range = parseCidr(text)!;
    const first = seen.get(range.text);
    if (first !== undefined) {
      yield { path, expected: `must not repeat adfs.intranetClientCidrs[${first}]`, got: text };
      continue;
    }
    seen.set(range.text, i);
    if (range.bits === 0) {
      yield { path, expected: 'must be an intranet range, not the whole Internet (the proxies serve the Internet)', got: text };
    } else if (overlaps(range, vnet)) {
      yield {
        path,
        expected: `must lie outside network.addressSpace ${vnet.text} (intranet clients come from outside the virtual network; its tiers have their own flows)`,
        got: text,
      };
    } else {
      const broad = broadPublicRange(text);
      if (broad) yield { path, expected: `${broad}: AD FS is open to it`, got: text };
    }
  }
}
