import { Rule } from './rule';
import { stickyRule } from './sticky-sessions';

/** The user portal and mobile app web service load balancer keeps a client on one server (the HA doc requires sticky sessions). */
export const portalStickySessions: Rule = (resource, context) => stickyRule(resource, context, 'portal', () => true);
