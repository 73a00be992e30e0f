import { App } from 'cdktf';
import { MfaHaStack, validateEnvironment } from 'mfa-ha-cdktf';
import { lab } from './lab-environment';
import { PerimeterStack } from './perimeter-stack';

/** The example's two stacks, added to `app`: main.ts synthesizes them; test/library.test.ts too, in-process. */
export function addStacks(app: App): void {
  // The library's tiers inside the team's own stack and network.
  new PerimeterStack(app, 'perimeter');
  // The whole design as one stack, from a config object: a mistake throws one line per mistake, as a file would.
  new MfaHaStack(app, validateEnvironment(lab, 'examples/own-stack/lab-environment.ts'));
}
