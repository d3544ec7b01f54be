import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { GoldenPathReleases, goldenPathOfEntity } from './goldenPathReleases';
import {
  GOLDEN_PATH_TEMPLATES_FILE,
  GOLDEN_PATHS_DIRECTORY,
} from './renderGoldenPathTemplates';

const releases = GoldenPathReleases.fromFile();
const REPO_ROOT = path.resolve(GOLDEN_PATHS_DIRECTORY, '../..');
const hasHistory = fs.existsSync(path.join(REPO_ROOT, '.git'));

function files(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const name = path.join(prefix, entry.name);
    if (entry.isDirectory()) Object.assign(out, files(full, name));
    else out[name] = fs.readFileSync(full, 'utf8');
  }
  return out;
}

const templateVersions = (file: string) =>
  parseAllDocuments(fs.readFileSync(file, 'utf8')).map(doc => {
    const t = doc.toJS();
    return [
      t.metadata.name,
      t.metadata.annotations['acme.example/template-version'],
    ];
  });

// The production image has no .git; the archives are checked where it is.
const describeWithHistory = hasHistory ? describe : describe.skip;

describe('golden-path releases', () => {
  let temp: string;
  beforeEach(() => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-releases-'));
  });
  afterEach(() => fs.rmSync(temp, { recursive: true, force: true }));

  it('releases the Templates at the newest version of versions.yaml', () => {
    expect(templateVersions(GOLDEN_PATH_TEMPLATES_FILE)).toEqual([
      ['node-service', releases.latest.version],
      ['go-service', releases.latest.version],
      ['python-service', releases.latest.version],
    ]);
  });

  it.each(releases.releases.slice(1).map(r => [r.version, r.commit!]))(
    'keeps %s renderable from its archive, which holds that version',
    async version => {
      const root = await releases.directoryOf(version, temp);
      expect(
        templateVersions(path.join(root, 'template.yaml')).map(([, v]) => v),
      ).toEqual([version, version, version]);
    },
  );

  it('tells how far behind a version is, newest release first', () => {
    const text = `
releases:
  - version: 1.0.0
    commit: ${'a'.repeat(40)}
    changelog: [{ title: First, description: The first. }]
  - version: 1.2.0
    changelog: [{ title: Third, description: The third. }]
  - version: 1.1.0
    commit: ${'b'.repeat(40)}
    changelog: [{ title: Second, description: The second. }]
`;
    const list = GoldenPathReleases.fromText(text, temp);
    expect(list.status('1.0.0')).toMatchObject({
      latest: '1.2.0',
      behind: true,
      newer: [{ version: '1.2.0' }, { version: '1.1.0' }],
    });
    expect(list.status('1.2.0')).toMatchObject({ behind: false, newer: [] });
    expect(() => list.status('0.9.0')).toThrow(
      'Golden-path version "0.9.0" was never released (known: 1.2.0, 1.1.0, 1.0.0)',
    );
  });

  it('reads the golden path and version an entity records', () => {
    const entity = (annotations: Record<string, string>) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'orders-api', annotations },
    });
    expect(
      goldenPathOfEntity(
        entity({
          'backstage.io/source-template': 'template:default/node-service',
          'acme.example/template-version': '1.0.0',
        }),
      ),
    ).toEqual({ template: 'node-service', version: '1.0.0' });
    expect(
      goldenPathOfEntity(
        entity({ 'backstage.io/source-template': 'template:default/other' }),
      ),
    ).toBeUndefined();
    expect(goldenPathOfEntity(entity({}))).toBeUndefined();
  });

  it('refuses an older release without its commit, and a version listed twice', () => {
    const entry = (version: string, commit = '') =>
      `  - version: ${version}\n${
        commit ? `    commit: ${commit}\n` : ''
      }    changelog: [{ title: T, description: D }]\n`;
    expect(() =>
      GoldenPathReleases.fromText(
        `releases:\n${entry('1.1.0')}${entry('1.0.0')}`,
        temp,
      ),
    ).toThrow('1.0.0 needs the commit it was released at');
    expect(() =>
      GoldenPathReleases.fromText(
        `releases:\n${entry('1.1.0')}${entry('1.1.0', 'c'.repeat(40))}`,
        temp,
      ),
    ).toThrow('1.1.0 is listed twice');
  });

  describeWithHistory('against git history', () => {
    it.each(releases.releases.slice(1).map(r => [r.version, r.commit!]))(
      'archives %s exactly as templates/golden-paths was at its commit %s',
      async (version, commit) => {
        const fromArchive = await releases.directoryOf(version, temp);
        const fromGit = path.join(temp, 'git');
        fs.mkdirSync(fromGit);
        execSync(
          `git archive ${commit}:templates/golden-paths -- . ':!releases' | tar -x -C ${fromGit}`,
          { cwd: REPO_ROOT },
        );
        expect(files(fromArchive)).toEqual(files(fromGit));
      },
    );
  });
});
