import path from 'node:path';
import {
  parseGoldenPathReleases,
  readGoldenPathReleases,
} from './readGoldenPathReleases';

const REPOSITORY_FILE = path.resolve(
  __dirname,
  '../../../../templates/golden-paths/versions.yaml',
);

describe('readGoldenPathReleases', () => {
  it('reads the repository file: every release dated, newest first, with its changelog', async () => {
    const releases = await readGoldenPathReleases(REPOSITORY_FILE);
    expect(releases.length).toBeGreaterThanOrEqual(2);
    expect(releases.map(r => r.version)).toEqual(
      [...releases.map(r => r.version)].sort((a, b) =>
        b.localeCompare(a, 'en', { numeric: true }),
      ),
    );
    for (const release of releases) {
      expect(release.released).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(release.changelog.length).toBeGreaterThan(0);
    }
  });

  it('refuses a version listed twice, naming the file', () => {
    const entry = `  - version: 1.0.0\n    changelog: [{ title: T, description: D }]\n`;
    expect(() =>
      parseGoldenPathReleases(`releases:\n${entry}${entry}`, 'versions.yaml'),
    ).toThrow('versions.yaml: 1.0.0 is listed twice');
  });

  it('names the field at fault', () => {
    expect(() =>
      parseGoldenPathReleases(
        'releases:\n  - version: v1\n    changelog: []\n',
        'versions.yaml',
      ),
    ).toThrow(/must be MAJOR\.MINOR\.PATCH\s+→ at releases\[0\]\.version/);
  });
});
