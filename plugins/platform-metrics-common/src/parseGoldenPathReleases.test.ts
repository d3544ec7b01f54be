import { parseGoldenPathReleases } from './parseGoldenPathReleases';

const COMMIT_A = 'a'.repeat(40);
const COMMIT_B = 'b'.repeat(40);

const entry = (version: string, extra = '') =>
  `  - version: ${version}\n${extra}    changelog: [{ title: T, description: D }]\n`;

describe('parseGoldenPathReleases', () => {
  it('gives the releases newest first, with their dates and the commits of the older ones', () => {
    const text = `
releases:
  - version: 1.0.0
    commit: ${COMMIT_A}
    released: '2026-09-01'
    changelog: [{ title: First, description: The first. }]
  - version: 1.10.0
    changelog: [{ title: Third, description: The third. }]
  - version: 1.2.0
    commit: ${COMMIT_B}
    changelog: [{ title: Second, description: The second. }]
`;
    expect(parseGoldenPathReleases(text, 'versions.yaml')).toEqual([
      {
        version: '1.10.0',
        released: null,
        changelog: [{ title: 'Third', description: 'The third.' }],
      },
      {
        version: '1.2.0',
        commit: COMMIT_B,
        released: null,
        changelog: [{ title: 'Second', description: 'The second.' }],
      },
      {
        version: '1.0.0',
        commit: COMMIT_A,
        released: '2026-09-01',
        changelog: [{ title: 'First', description: 'The first.' }],
      },
    ]);
  });

  it('refuses a version listed twice, naming the file', () => {
    expect(() =>
      parseGoldenPathReleases(
        `releases:\n${entry('1.0.0')}${entry('1.0.0')}`,
        'versions.yaml',
      ),
    ).toThrow('versions.yaml: 1.0.0 is listed twice');
  });

  it('refuses an older release without the commit its archive is made from', () => {
    expect(() =>
      parseGoldenPathReleases(
        `releases:\n${entry('1.1.0')}${entry('1.0.0')}`,
        'versions.yaml',
      ),
    ).toThrow('versions.yaml: 1.0.0 needs the commit it was released at');
  });

  it.each([
    [
      'a version that is not MAJOR.MINOR.PATCH',
      `releases:\n${entry('v1')}`,
      /must be MAJOR\.MINOR\.PATCH\s+→ at releases\[0\]\.version/,
    ],
    [
      'a date that is not YYYY-MM-DD',
      `releases:\n${entry('1.0.0', '    released: 26.11.2026\n')}`,
      /must be YYYY-MM-DD\s+→ at releases\[0\]\.released/,
    ],
    [
      'a short commit',
      `releases:\n${entry('1.1.0')}${entry('1.0.0', '    commit: abc123\n')}`,
      /must be a full commit hash\s+→ at releases\[1\]\.commit/,
    ],
    [
      'a release without a changelog',
      'releases:\n  - version: 1.0.0\n    changelog: []\n',
      /→ at releases\[0\]\.changelog/,
    ],
    ['no releases at all', 'releases: []\n', /→ at releases/],
  ])('names the field at fault: %s', (_, text, message) => {
    expect(() => parseGoldenPathReleases(text, 'versions.yaml')).toThrow(
      message,
    );
  });

  it('names the file when it is not YAML', () => {
    expect(() =>
      parseGoldenPathReleases('releases: [', '/srv/versions.yaml'),
    ).toThrow(/^\/srv\/versions\.yaml: not valid YAML: /);
  });
});
