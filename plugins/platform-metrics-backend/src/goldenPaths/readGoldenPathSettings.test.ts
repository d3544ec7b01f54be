import { ConfigReader } from '@backstage/config';
import path from 'node:path';
import { readGoldenPathSettings } from './readGoldenPathSettings';

describe('readGoldenPathSettings', () => {
  it('defaults to the repository versions file and no listed versions', () => {
    expect(readGoldenPathSettings(new ConfigReader({}))).toEqual({
      versionsFile: path.resolve('../../templates/golden-paths/versions.yaml'),
      supportedVersions: {},
    });
  });

  it('reads the supported versions per template', () => {
    const settings = readGoldenPathSettings(
      new ConfigReader({
        goldenPath: {
          versionsFile: '/srv/portal/versions.yaml',
          supportedVersions: { 'node-service': ['1.1.0', '1.0.0'] },
        },
      }),
    );
    expect(settings).toEqual({
      versionsFile: '/srv/portal/versions.yaml',
      supportedVersions: { 'node-service': ['1.1.0', '1.0.0'] },
    });
  });

  it('names the entry that is not a version', () => {
    expect(() =>
      readGoldenPathSettings(
        new ConfigReader({
          goldenPath: { supportedVersions: { 'go-service': ['latest'] } },
        }),
      ),
    ).toThrow(
      'goldenPath.supportedVersions.go-service: "latest" is not MAJOR.MINOR.PATCH',
    );
  });
});
