import {
  compareVersions,
  type GoldenPathRelease,
  goldenPathOf,
  releasesAfter,
} from './goldenPathVersions';

const release = (version: string): GoldenPathRelease => ({
  version,
  released: null,
  changelog: [{ title: version, description: version }],
});

describe('golden-path versions', () => {
  it('compares versions numerically, not as text', () => {
    expect(compareVersions('1.10.0', '1.9.0')).toBeGreaterThan(0);
    expect(compareVersions('1.0.0', '1.0.0')).toBe(0);
    expect(compareVersions('0.9.9', '1.0.0')).toBeLessThan(0);
  });

  it('gives the releases after a version, newest first', () => {
    const releases = ['1.2.0', '1.1.0', '1.0.0'].map(release);
    expect(releasesAfter(releases, '1.0.0').map(r => r.version)).toEqual([
      '1.2.0',
      '1.1.0',
    ]);
    expect(releasesAfter(releases, '1.2.0')).toEqual([]);
    // Unknown where it stands: every release is news to it.
    expect(releasesAfter(releases, null)).toHaveLength(3);
    expect(releasesAfter(releases, 'main')).toHaveLength(3);
  });

  it('reads the template and version an entity records', () => {
    const entity = (annotations: Record<string, string>) => ({
      metadata: { annotations },
    });
    expect(
      goldenPathOf(
        entity({
          'backstage.io/source-template': 'template:default/node-service',
          'acme.example/template-version': ' 1.0.0 ',
        }),
      ),
    ).toEqual({ template: 'node-service', version: '1.0.0' });
    expect(
      goldenPathOf(entity({ 'backstage.io/source-template': 'go-service' })),
    ).toEqual({ template: 'go-service', version: null });
    expect(
      goldenPathOf(
        entity({ 'backstage.io/source-template': 'component:default/x' }),
      ),
    ).toBeUndefined();
    expect(goldenPathOf(entity({}))).toBeUndefined();
  });
});
