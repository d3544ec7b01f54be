/*
 * The demo services' docs (catalog/docs/, referenced by
 * backstage.io/techdocs-ref in catalog/components.yaml) built by the real
 * TechDocs backend with the portal's techdocs config and Debian's mkdocs, as
 * `./scripts/portal start` builds them when someone opens them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import techdocsPlugin from '@backstage/plugin-techdocs-backend';
import {
  buildTechDocs,
  mkdocsAvailable,
  portalTechDocsConfig,
} from '@internal/portal-test-utils';
import { parse, parseAllDocuments } from 'yaml';

jest.setTimeout(180_000);

const CATALOG_DIR = path.resolve(__dirname, '../../../catalog');
const TECHDOCS_REF = 'backstage.io/techdocs-ref';

const documented = parseAllDocuments(
  fs.readFileSync(path.join(CATALOG_DIR, 'components.yaml'), 'utf8'),
)
  .map(doc => doc.toJS() as Entity)
  .filter(entity => entity.metadata.annotations?.[TECHDOCS_REF]);

/** The docs folder of an entity, relative to the catalog file like TechDocs resolves it. */
function docsFolder(entity: Entity) {
  const ref = entity.metadata.annotations![TECHDOCS_REF];
  expect(ref).toMatch(/^dir:/);
  return path.resolve(CATALOG_DIR, ref.slice('dir:'.length));
}

/** The markdown files of an mkdocs nav, in order. */
function navPages(nav: unknown): string[] {
  if (typeof nav === 'string') return [nav];
  if (Array.isArray(nav)) return nav.flatMap(navPages);
  if (nav && typeof nav === 'object') {
    return Object.values(nav).flatMap(navPages);
  }
  return [];
}

describe('the demo services docs', () => {
  it('cover a service of every team, each with runbooks', () => {
    const teams = parseAllDocuments(
      fs.readFileSync(path.join(CATALOG_DIR, 'org.yaml'), 'utf8'),
    )
      .map(doc => doc.toJS() as Entity)
      .filter(entity => entity.kind === 'Group' && entity.spec?.type === 'team')
      .map(team => team.metadata.name);
    const owners = documented.map(entity =>
      String(entity.spec?.owner).replace(/^group:default\//, ''),
    );
    expect(teams.filter(team => !owners.includes(team))).toEqual([]);
    for (const entity of documented) {
      const mkdocs = parse(
        fs.readFileSync(path.join(docsFolder(entity), 'mkdocs.yml'), 'utf8'),
      );
      expect(navPages(mkdocs.nav)).toContainEqual(
        expect.stringMatching(/^runbooks\//),
      );
    }
  });

  const describeWithMkdocs = mkdocsAvailable('demo docs through TechDocs')
    ? describe
    : describe.skip;

  describeWithMkdocs('built by TechDocs', () => {
    let workDir: string;
    let baseUrl: string;
    let stop: () => Promise<void>;

    beforeAll(async () => {
      // A copy, because TechDocs rewrites mkdocs.yml in place for dir: docs.
      workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-docs-'));
      fs.cpSync(CATALOG_DIR, path.join(workDir, 'catalog'), {
        recursive: true,
      });
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          techdocsPlugin,
          mockServices.rootConfig.factory({
            data: {
              catalog: {
                locations: [
                  {
                    type: 'file',
                    target: path.join(workDir, 'catalog/components.yaml'),
                    rules: [{ allow: ['Component'] }],
                  },
                ],
              },
              techdocs: portalTechDocsConfig(path.join(workDir, 'site')),
            },
          }),
        ],
      });
      stop = () => backend.stop();
      const { port } = backend.server.address() as { port: number };
      baseUrl = `http://localhost:${port}`;
      for (const entity of documented) {
        for (let i = 0; ; i++) {
          const res = await fetch(
            `${baseUrl}/api/catalog/entities/by-name/component/default/${entity.metadata.name}`,
          );
          if (res.ok) break;
          if (i === 600) throw new Error(`${entity.metadata.name} not found`);
          await new Promise(resolve => setTimeout(resolve, 100));
        }
      }
    });

    afterAll(async () => {
      await stop?.();
      fs.rmSync(workDir, { recursive: true, force: true });
    });

    it.each(documented.map(e => [e.metadata.name, e]))(
      '%s: every page of the nav is published with its title',
      async (name, entity) => {
        const folder = docsFolder(entity as Entity);
        const mkdocsYml = fs.readFileSync(
          path.join(folder, 'mkdocs.yml'),
          'utf8',
        );
        const site = await buildTechDocs(baseUrl, { kind: 'component', name });
        for (const page of navPages(parse(mkdocsYml).nav)) {
          const markdown = fs.readFileSync(
            path.join(folder, 'docs', page),
            'utf8',
          );
          const published = await site.page(
            page.replace(/(^|\/)index\.md$/, '$1').replace(/\.md$/, '/'),
          );
          expect({
            page,
            status: published.status,
            title: published.title,
          }).toEqual({
            page,
            status: 200,
            title: /^# (.+)$/m.exec(markdown)![1],
          });
        }
        // TechDocs writes its sanitised mkdocs.yml over the source before
        // each build; the committed file is already in that form, so that
        // opening the docs in development leaves the repository unchanged.
        const built = path.join(
          workDir,
          'catalog',
          path.relative(CATALOG_DIR, folder),
          'mkdocs.yml',
        );
        expect(fs.readFileSync(built, 'utf8')).toBe(mkdocsYml);
      },
    );
  });
});
