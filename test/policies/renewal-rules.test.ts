import { renewalTask } from '../../constructs/policies/renewal-task';
import { variant, withoutFarm } from '../helpers';
import { bodies, compliantCount, shipped, synthesize, violations } from './fixtures';

const RUN_COMMAND = 'azurerm_virtual_machine_run_command';

describe('MFAHA-TLS-02 every AD FS and WAP server has the certificate renewal task', () => {
  test.each([
    ['dev', 4],
    ['prod', 6],
  ] as const)('holds for every AD FS and WAP server of the shipped %s environment', (name, servers) => {
    const synthesized = shipped(name);
    expect(violations(renewalTask, synthesized)).toEqual({});
    expect(compliantCount(renewalTask, synthesized)).toBe(servers);
  });

  test.each(['adfs-2', 'wap-1'])('fails %s without its renewal Run Command, naming the server', (server) => {
    const prod = shipped('prod');
    const [key] = bodies(prod.json, RUN_COMMAND, `/servers/${server}/certificate-renewal-task`)[0];
    delete prod.json.resource[RUN_COMMAND][key];
    const found = violations(renewalTask, prod);
    expect(Object.keys(found)).toHaveLength(1);
    expect(Object.values(found)[0]).toMatch(
      new RegExp(`^\\S*${server}\\S* runs (AD FS|Web Application Proxy) without the certificate-renewal-task Run Command`),
    );
  });

  test('does not judge servers whose farm the toolkit does not configure', () => {
    const farmless = synthesize(variant('dev', withoutFarm));
    expect(violations(renewalTask, farmless)).toEqual({});
    expect(compliantCount(renewalTask, farmless)).toBe(0);
  });
});
