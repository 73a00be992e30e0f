import { Port } from '../values';
import { Rule } from './rule';
import { stickyRule } from './sticky-sessions';

/**
 * With one-way SMS OTP, the `mfaapp` Web Service SDK rule keeps a client on one server: the server
 * that sent the code must receive the answer.
 */
export const mfaSdkStickySessions: Rule = (resource, context) =>
  context.inputs.smsOtpEnabled ? stickyRule(resource, context, 'mfa', (rule) => rule.body.frontend_port === Port.HTTPS.port) : 'n/a';
