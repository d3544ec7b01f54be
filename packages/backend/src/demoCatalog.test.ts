/*
 * Checks the demo catalog in catalog/*.yaml (plus the portal's own
 * catalog-info.yaml) the way the catalog backend would see it: every entity
 * must be valid, every relation must point at an entity that exists, and the
 * data must describe a believable organisation.
 */
import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import {
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  KindValidator,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';

const repoRoot = path.resolve(__dirname, '../../..');
const catalogDir = path.join(repoRoot, 'catalog');

type LoadedEntity = { entity: Entity; file: string };

function loadEntities(): LoadedEntity[] {
  const files = [
    ...fs
      .readdirSync(catalogDir)
      .filter(name => name.endsWith('.yaml'))
      .sort()
      .map(name => path.join(catalogDir, name)),
    path.join(repoRoot, 'catalog-info.yaml'),
  ];

  const loaded: LoadedEntity[] = [];
  for (const file of files) {
    const relative = path.relative(repoRoot, file);
    const documents = parseAllDocuments(fs.readFileSync(file, 'utf8'));
    // parseAllDocuments returns an EmptyStream (still iterable) for blank files
    for (const document of documents) {
      if (document.errors.length > 0) {
        throw new Error(
          `${relative} is not valid YAML: ${document.errors
            .map(e => e.message)
            .join('; ')}`,
        );
      }
      const value = document.toJS();
      if (value === null || value === undefined) {
        continue; // e.g. a comment-only document
      }
      loaded.push({ entity: value as Entity, file: relative });
    }
  }
  return loaded;
}

const loaded = loadEntities();
const entities = loaded.map(l => l.entity);

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

const kindValidators: Record<string, KindValidator> = {
  component: componentEntityV1alpha1Validator,
  api: apiEntityV1alpha1Validator,
  group: groupEntityV1alpha1Validator,
  user: userEntityV1alpha1Validator,
  system: systemEntityV1alpha1Validator,
  domain: domainEntityV1alpha1Validator,
  resource: resourceEntityV1alpha1Validator,
};

function refOf(entity: Entity): string {
  return stringifyEntityRef({
    kind: entity.kind,
    namespace: entity.metadata?.namespace ?? 'default',
    name: entity.metadata?.name,
  });
}

function ofKind(kind: string): Entity[] {
  return entities.filter(e => e.kind?.toLocaleLowerCase('en-US') === kind);
}

function spec(entity: Entity): Record<string, unknown> {
  return (entity.spec ?? {}) as Record<string, unknown>;
}

function asList(value: unknown): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/** Relation fields under spec, and the kind a bare name refers to. */
const relationFields: Array<{ field: string; defaultKind: string }> = [
  { field: 'owner', defaultKind: 'group' },
  { field: 'system', defaultKind: 'system' },
  { field: 'domain', defaultKind: 'domain' },
  { field: 'memberOf', defaultKind: 'group' },
  { field: 'parent', defaultKind: 'group' },
  { field: 'children', defaultKind: 'group' },
  { field: 'providesApis', defaultKind: 'api' },
  { field: 'consumesApis', defaultKind: 'api' },
  { field: 'dependsOn', defaultKind: 'component' },
  { field: 'subcomponentOf', defaultKind: 'component' },
];

function targetsOf(entity: Entity, field: string, defaultKind: string) {
  return asList(spec(entity)[field]).map(raw =>
    stringifyEntityRef(
      parseEntityRef(raw, { defaultKind, defaultNamespace: 'default' }),
    ),
  );
}

describe('the demo catalog', () => {
  it('contains entities from every catalog file', () => {
    const files = new Set(loaded.map(l => l.file));
    for (const name of [
      'org.yaml',
      'domains.yaml',
      'components.yaml',
      'apis.yaml',
      'resources.yaml',
    ]) {
      expect(files).toContain(path.join('catalog', name));
    }
    expect(files).toContain('catalog-info.yaml');
  });

  describe('validity', () => {
    it('has only entities that pass the catalog entity policies', async () => {
      const failures: string[] = [];
      for (const { entity, file } of loaded) {
        try {
          const result = await policy.enforce(entity);
          if (!result) {
            failures.push(`${file}: ${refOf(entity)} was rejected`);
          }
        } catch (error) {
          failures.push(`${file}: ${refOf(entity)}: ${error}`);
        }
      }
      expect(failures).toEqual([]);
    });

    it('has only entities accepted by the validator for their kind', async () => {
      const failures: string[] = [];
      for (const { entity, file } of loaded) {
        const kind = String(entity.kind).toLocaleLowerCase('en-US');
        const validator = kindValidators[kind];
        if (!validator) {
          failures.push(`${file}: ${refOf(entity)} has unexpected kind`);
          continue;
        }
        try {
          if ((await validator.check(entity)) !== true) {
            failures.push(`${file}: ${refOf(entity)} was not recognised`);
          }
        } catch (error) {
          failures.push(`${file}: ${refOf(entity)}: ${error}`);
        }
      }
      expect(failures).toEqual([]);
    });

    it('uses lowercase, dash-separated names of at most 63 characters', () => {
      const badNames = entities
        .map(e => String(e.metadata?.name))
        .filter(
          name => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name) || name.length > 63,
        );
      expect(badNames).toEqual([]);
    });

    it('has no two entities with the same kind, namespace and name', () => {
      const seen = new Map<string, string>();
      const duplicates: string[] = [];
      for (const { entity, file } of loaded) {
        const ref = refOf(entity);
        const earlier = seen.get(ref);
        if (earlier) {
          duplicates.push(`${ref} (in ${earlier} and ${file})`);
        } else {
          seen.set(ref, file);
        }
      }
      expect(duplicates).toEqual([]);
    });
  });

  describe('references', () => {
    it('only points at entities that exist', () => {
      const known = new Set(entities.map(refOf));
      const dangling: string[] = [];
      for (const entity of entities) {
        for (const { field, defaultKind } of relationFields) {
          for (const target of targetsOf(entity, field, defaultKind)) {
            if (!known.has(target)) {
              dangling.push(`${refOf(entity)} spec.${field} -> ${target}`);
            }
          }
        }
      }
      expect(dangling).toEqual([]);
    });

    it('keeps group parents and children in agreement', () => {
      const mismatches: string[] = [];
      const groups = ofKind('group');
      for (const group of groups) {
        const self = refOf(group);
        for (const child of targetsOf(group, 'children', 'group')) {
          const childEntity = groups.find(g => refOf(g) === child);
          const childParent = childEntity
            ? targetsOf(childEntity, 'parent', 'group')[0]
            : undefined;
          if (childParent !== self) {
            mismatches.push(
              `${child} is a child of ${self} but not its parent`,
            );
          }
        }
        for (const parent of targetsOf(group, 'parent', 'group')) {
          const parentEntity = groups.find(g => refOf(g) === parent);
          if (
            !parentEntity ||
            !targetsOf(parentEntity, 'children', 'group').includes(self)
          ) {
            mismatches.push(
              `${self} names ${parent} as parent but is not listed as its child`,
            );
          }
        }
      }
      expect(mismatches).toEqual([]);
    });
  });

  describe('the organisation', () => {
    const groups = ofKind('group');
    const users = ofKind('user');
    const components = ofKind('component');

    it('has a platform team that owns the portal', () => {
      const platform = groups.find(g => g.metadata.name === 'platform');
      expect(platform).toBeDefined();
      expect(spec(platform!).type).toBe('team');

      const portal = components.find(c => c.metadata.name === 'portal');
      expect(portal).toBeDefined();
      expect(targetsOf(portal!, 'owner', 'group')).toEqual([
        'group:default/platform',
      ]);
    });

    it('has at least five product teams besides platform', () => {
      const teams = groups.filter(
        g => spec(g).type === 'team' && g.metadata.name !== 'platform',
      );
      expect(teams.length).toBeGreaterThanOrEqual(5);
    });

    it('has a single root organisation that every group descends from', () => {
      const roots = groups.filter(g => !spec(g).parent);
      expect(roots.map(g => [g.metadata.name, spec(g).type])).toEqual([
        ['acme', 'organization'],
      ]);
    });

    it('gives every team a display name, description and members', () => {
      const memberships = users.flatMap(u => targetsOf(u, 'memberOf', 'group'));
      const problems: string[] = [];
      for (const team of groups.filter(g => spec(g).type === 'team')) {
        const profile = (spec(team).profile ?? {}) as { displayName?: string };
        if (!profile.displayName) {
          problems.push(`${refOf(team)} has no displayName`);
        }
        if (!team.metadata.description) {
          problems.push(`${refOf(team)} has no description`);
        }
        if (!memberships.includes(refOf(team))) {
          problems.push(`${refOf(team)} has no members`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('has at least twenty people, each with a name, email and group', () => {
      expect(users.length).toBeGreaterThanOrEqual(20);
      const problems: string[] = [];
      for (const user of users) {
        const profile = (spec(user).profile ?? {}) as {
          displayName?: string;
          email?: string;
        };
        if (!profile.displayName) {
          problems.push(`${refOf(user)} has no displayName`);
        }
        if (!profile.email?.endsWith('@acme.example')) {
          problems.push(`${refOf(user)} has no @acme.example email`);
        }
        if (asList(spec(user).memberOf).length === 0) {
          problems.push(`${refOf(user)} belongs to no group`);
        }
      }
      expect(problems).toEqual([]);
    });
  });

  describe('the software', () => {
    const components = ofKind('component');

    it('has at least three systems spread over at least two domains', () => {
      const systems = ofKind('system');
      expect(systems.length).toBeGreaterThanOrEqual(3);
      const domains = new Set(
        systems.flatMap(s => targetsOf(s, 'domain', 'domain')),
      );
      expect(domains.size).toBeGreaterThanOrEqual(2);
    });

    it('has at least twenty components including services, websites and libraries', () => {
      expect(components.length).toBeGreaterThanOrEqual(20);
      const types = new Set(components.map(c => spec(c).type));
      for (const type of ['service', 'website', 'library']) {
        expect(types).toContain(type);
      }
    });

    it('gives every component an owner and a lifecycle', () => {
      const missing = components
        .filter(c => !spec(c).owner || !spec(c).lifecycle)
        .map(refOf);
      expect(missing).toEqual([]);
    });

    it('has services that provide and consume APIs', () => {
      const services = components.filter(c => spec(c).type === 'service');
      expect(services.some(s => asList(spec(s).providesApis).length > 0)).toBe(
        true,
      );
      expect(services.some(s => asList(spec(s).consumesApis).length > 0)).toBe(
        true,
      );
    });
  });
});
