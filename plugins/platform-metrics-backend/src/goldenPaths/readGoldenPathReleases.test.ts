import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readGoldenPathReleases } from './readGoldenPathReleases';

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
      // The API schema allows no other field.
      expect(Object.keys(release).sort()).toEqual([
        'changelog',
        'released',
        'version',
      ]);
    }
  });

  it('names the file and the field at fault', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-versions-'));
    try {
      const file = path.join(dir, 'versions.yaml');
      fs.writeFileSync(
        file,
        'releases:\n  - version: v1\n    changelog: [{ title: T, description: D }]\n',
      );
      await expect(readGoldenPathReleases(file)).rejects.toThrow(
        new RegExp(
          `^${file}: .*must be MAJOR\\.MINOR\\.PATCH\\s+→ at releases\\[0\\]\\.version`,
          's',
        ),
      );
      await expect(
        readGoldenPathReleases(path.join(dir, 'missing.yaml')),
      ).rejects.toThrow(/ENOENT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
