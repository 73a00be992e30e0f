import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { changedPaths, fingerprint, fingerprints } from '../../tools/fingerprint';

describe('fingerprints prove a tree was left alone', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fingerprint-'));
    fs.mkdirSync(path.join(dir, 'out', 'stacks', 'dev'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'out', 'stacks', 'dev', 'cdk.tf.json'), '{"resource":{}}');
    fs.writeFileSync(path.join(dir, 'out', 'manifest.json'), '{}');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const out = () => path.join(dir, 'out');
  const stackFile = () => path.join(dir, 'out', 'stacks', 'dev', 'cdk.tf.json');
  const later = (file: string) => fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));

  test('are stable while nothing changes', () => {
    expect(fingerprint(out(), 'exact')).toBe(fingerprint(out(), 'exact'));
  });

  test('change when a file is added, removed or edited', () => {
    for (const depth of ['content', 'metadata', 'exact'] as const) {
      const before = fingerprint(out(), depth);
      fs.writeFileSync(path.join(out(), 'extra'), '');
      expect(fingerprint(out(), depth)).not.toBe(before);
      fs.rmSync(path.join(out(), 'extra'));
      expect(fingerprint(out(), depth)).toBe(before);
      fs.writeFileSync(stackFile(), '{"resource":{"x":1}}');
      expect(fingerprint(out(), depth)).not.toBe(before);
    }
  });

  test('"exact" notices a file rewritten with the same bytes; "content" does not', () => {
    const [exact, content] = [fingerprint(out(), 'exact'), fingerprint(out(), 'content')];
    later(stackFile());
    expect(fingerprint(out(), 'exact')).not.toBe(exact);
    expect(fingerprint(out(), 'content')).toBe(content);
  });

  test('"content" is equal for two trees with the same files', () => {
    fs.cpSync(out(), path.join(dir, 'copy'), { recursive: true });
    expect(fingerprint(path.join(dir, 'copy'), 'content')).toBe(fingerprint(out(), 'content'));
  });

  test('"metadata" notices a touched file without reading it', () => {
    const before = fingerprint(out(), 'metadata');
    later(stackFile());
    expect(fingerprint(out(), 'metadata')).not.toBe(before);
  });

  test('say "absent" for a path that does not exist, and notice when it appears', () => {
    const paths = { [out()]: 'exact' as const, [path.join(dir, 'node_modules')]: 'metadata' as const };
    const before = fingerprints(paths);
    expect(before.get(path.join(dir, 'node_modules'))).toBe('absent');
    fs.mkdirSync(path.join(dir, 'node_modules'));
    expect(changedPaths(before, fingerprints(paths))).toEqual([path.join(dir, 'node_modules')]);
  });

  test('follow no symbolic link, but notice where one points', () => {
    fs.symlinkSync('/nonexistent', path.join(out(), 'link'));
    const before = fingerprint(out(), 'exact');
    fs.rmSync(path.join(out(), 'link'));
    fs.symlinkSync('/elsewhere', path.join(out(), 'link'));
    expect(fingerprint(out(), 'exact')).not.toBe(before);
  });
});
