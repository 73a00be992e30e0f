import { Environment } from '../config/schema';
import { renderSvg, topologyDot } from './diagram';
import { flowMatrix } from './flow-matrix';
import { namedGroupsOf } from './synthesized-stack';
import { StackJson } from './terraform-json';
import { topologyOf } from './topology';

/** The DOT source of an environment's diagram: its topology and the allowed cells of its flow matrix. */
export function environmentDot(stack: StackJson, env: Environment | undefined, name: string): string {
  const topology = topologyOf(stack);
  return topologyDot(topology, flowMatrix(topology.network, namedGroupsOf(env)), { title: name, stage: env?.migration?.stage });
}

/** The SVG of an environment's diagram. Fails on any Graphviz warning: a warning means a flaw in the DOT. */
export async function environmentSvg(stack: StackJson, env: Environment | undefined, name: string): Promise<string> {
  const { svg, warnings } = await renderSvg(environmentDot(stack, env, name));
  if (warnings.length > 0) throw new Error(`Graphviz warned: ${warnings.join('; ')}`);
  return svg;
}
