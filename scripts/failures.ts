import { runTool } from '../tools/cli';
import { FAILURES_TOOL } from '../tools/failures/cli';

// npm run failures -- <env> [--with <failure>] [--synth] [--markdown]: every failure replayed on the journeys (tools/failures/).
void runTool(FAILURES_TOOL);
