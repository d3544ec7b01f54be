/*
 * Checks the Kubernetes manifests in deploy/kubernetes without a cluster:
 * resolves each kustomization the way `kubectl apply -k` would (resources,
 * bases, generators, images, namespace), validates every object against the
 * Kubernetes schemas of kubernetes-models, and checks what running the portal
 * with several replicas depends on: the health endpoints, the environment the
 * production config needs, the security context, and that the database pools
 * of all replicas fit in PostgreSQL's max_connections.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

type Obj = Record<string, any>;

const repoRoot = path.resolve(__dirname, '../../..');
const deployDir = path.join(repoRoot, 'deploy/kubernetes');
const baseDir = path.join(deployDir, 'base');
const withPostgresDir = path.join(deployDir, 'overlays/with-postgres');
const secretExample = path.join(deployDir, 'portal-secrets.env.example');
const readme = path.join(repoRoot, 'deploy/README.md');

const NAMESPACE = 'portal';
const SECRET_NAME = 'portal-secrets';
const READINESS = '/.backstage/health/v1/readiness';
const LIVENESS = '/.backstage/health/v1/liveness';
/** Connections kept free for migrations, psql, backups and monitoring. */
const HEADROOM = 20;
/** PostgreSQL's default superuser_reserved_connections. */
const DEFAULT_RESERVED = 3;
/** knex's (tarn's) pool maximum when knexConfig.pool.max is not set. */
const KNEX_DEFAULT_POOL_MAX = 10;

const CLUSTER_SCOPED = new Set(['Namespace']);
const KUSTOMIZATION_KEYS = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'resources',
  'configMapGenerator',
  'images',
]);

function read(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

function readYaml(file: string): any {
  return parse(read(file));
}

/** KEY=VALUE lines, as kustomize reads `envs` files. */
function readEnvFile(file: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const raw of read(file).split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`${file}: "${line}" is not KEY=VALUE`);
    result[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return result;
}

interface Entry {
  file: string;
  object: Obj;
}

interface Generated {
  name: string;
  data: Record<string, string>;
  /** For `files:` sources: file name (key) to absolute path. */
  files: Record<string, string>;
}

interface Built {
  entries: Entry[];
  configMaps: Map<string, Generated>;
}

function splitImage(image: string) {
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    name: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    tag: hasTag ? withoutDigest.slice(colon + 1) : undefined,
    digest,
  };
}

function podSpecs(object: Obj): Obj[] {
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(object.kind)) {
    return [object.spec.template.spec];
  }
  return [];
}

function containersOf(podSpec: Obj): Obj[] {
  return [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])];
}

/** Resolves a kustomization directory the way `kubectl apply -k` does. */
function build(dir: string): Built {
  const file = path.join(dir, 'kustomization.yaml');
  expect(fs.existsSync(file)).toBe(true);
  const k = readYaml(file);
  expect(k.apiVersion).toBe('kustomize.config.k8s.io/v1beta1');
  expect(k.kind).toBe('Kustomization');
  for (const key of Object.keys(k)) {
    // Anything else (patches, secretGenerator...) needs support here first.
    expect({ file, key, understood: KUSTOMIZATION_KEYS.has(key) }).toEqual({
      file,
      key,
      understood: true,
    });
  }

  const entries: Entry[] = [];
  const configMaps = new Map<string, Generated>();
  for (const ref of k.resources ?? []) {
    const target = path.resolve(dir, ref);
    expect({ ref, exists: fs.existsSync(target) }).toEqual({
      ref,
      exists: true,
    });
    if (fs.statSync(target).isDirectory()) {
      const base = build(target);
      entries.push(...base.entries);
      for (const [name, generated] of base.configMaps) {
        configMaps.set(name, generated);
      }
      continue;
    }
    for (const doc of parseAllDocuments(read(target))) {
      expect(doc.errors).toEqual([]);
      const object = doc.toJS();
      if (object) entries.push({ file: target, object });
    }
  }

  for (const generator of k.configMapGenerator ?? []) {
    const behavior = generator.behavior ?? 'create';
    const existing = configMaps.get(generator.name);
    expect({ generator: generator.name, behavior, exists: !!existing }).toEqual(
      {
        generator: generator.name,
        behavior,
        exists: behavior !== 'create',
      },
    );
    const generated: Generated =
      behavior === 'merge' && existing
        ? { ...existing, data: { ...existing.data } }
        : { name: generator.name, data: {}, files: {} };
    for (const source of generator.files ?? []) {
      const [key, rel] = source.includes('=')
        ? source.split('=', 2)
        : [path.basename(source), source];
      const target = path.resolve(dir, rel);
      expect({ source, exists: fs.existsSync(target) }).toEqual({
        source,
        exists: true,
      });
      generated.data[key] = read(target);
      generated.files[key] = target;
    }
    for (const envFile of generator.envs ?? []) {
      const target = path.resolve(dir, envFile);
      expect({ envFile, exists: fs.existsSync(target) }).toEqual({
        envFile,
        exists: true,
      });
      Object.assign(generated.data, readEnvFile(target));
    }
    for (const literal of generator.literals ?? []) {
      const eq = literal.indexOf('=');
      expect(eq).toBeGreaterThan(0);
      generated.data[literal.slice(0, eq)] = literal.slice(eq + 1);
    }
    configMaps.set(generator.name, generated);
  }

  for (const { object } of entries) {
    if (k.namespace && !CLUSTER_SCOPED.has(object.kind)) {
      object.metadata.namespace = k.namespace;
    }
    for (const podSpec of podSpecs(object)) {
      for (const container of containersOf(podSpec)) {
        const image = splitImage(container.image);
        const rule = (k.images ?? []).find((i: Obj) => i.name === image.name);
        if (!rule) continue;
        const name = rule.newName ?? image.name;
        if (rule.digest) container.image = `${name}@${rule.digest}`;
        else if (rule.newTag) container.image = `${name}:${rule.newTag}`;
        else container.image = `${name}${image.tag ? `:${image.tag}` : ''}`;
      }
    }
  }
  return { entries, configMaps };
}

/** The objects `kubectl apply -k` would send, generated ConfigMaps included. */
function allObjects(built: Built, namespace = NAMESPACE): Entry[] {
  return [
    ...built.entries,
    ...[...built.configMaps.values()].map(c => ({
      file: `configMapGenerator ${c.name}`,
      object: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: c.name, namespace },
        data: c.data,
      },
    })),
  ];
}

// kubernetes-models is ES modules only, which Jest cannot load in-process; a
// short-lived Node.js process validates instead (as the golden-path module's
// validateKubernetesObjects does).
const VALIDATOR = `
const models = {
  'v1/Namespace': ['kubernetes-models/v1', 'Namespace'],
  'v1/ServiceAccount': ['kubernetes-models/v1', 'ServiceAccount'],
  'v1/Service': ['kubernetes-models/v1', 'Service'],
  'v1/ConfigMap': ['kubernetes-models/v1', 'ConfigMap'],
  'v1/Secret': ['kubernetes-models/v1', 'Secret'],
  'v1/PersistentVolumeClaim': ['kubernetes-models/v1', 'PersistentVolumeClaim'],
  'apps/v1/Deployment': ['kubernetes-models/apps/v1', 'Deployment'],
  'apps/v1/StatefulSet': ['kubernetes-models/apps/v1', 'StatefulSet'],
  'policy/v1/PodDisruptionBudget': ['kubernetes-models/policy/v1', 'PodDisruptionBudget'],
  'networking.k8s.io/v1/Ingress': ['kubernetes-models/networking.k8s.io/v1', 'Ingress'],
  'networking.k8s.io/v1/NetworkPolicy': ['kubernetes-models/networking.k8s.io/v1', 'NetworkPolicy'],
  'autoscaling/v2/HorizontalPodAutoscaler': ['kubernetes-models/autoscaling/v2', 'HorizontalPodAutoscaler'],
};
let input = '';
for await (const chunk of process.stdin) input += chunk;
const problems = [];
for (const { file, object } of JSON.parse(input)) {
  const model = models[object.apiVersion + '/' + object.kind];
  if (!model) {
    problems.push(file + ': no schema for ' + object.apiVersion + '/' + object.kind);
    continue;
  }
  const Model = (await import(model[0]))[model[1]];
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(file + ': ' + object.kind + ' ' + object.metadata?.name + ' is invalid: ' + error.message);
  }
}
process.stdout.write(JSON.stringify(problems));
`;

function schemaProblems(entries: Entry[]): string[] {
  const result = spawnSync(
    process.execPath,
    ['--input-type=module', '--eval', VALIDATOR],
    {
      // The package that depends on kubernetes-models.
      cwd: path.join(repoRoot, 'plugins/scaffolder-backend-module-golden-path'),
      input: JSON.stringify(entries),
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) {
    throw new Error(`Kubernetes validation could not run: ${result.stderr}`);
  }
  return JSON.parse(result.stdout);
}

function find(built: Built, kind: string, name: string): Obj {
  const found = built.entries.filter(
    e => e.object.kind === kind && e.object.metadata?.name === name,
  );
  expect({ kind, name, count: found.length }).toEqual({ kind, name, count: 1 });
  return found[0].object;
}

function selects(selector: Record<string, string>, labels: Obj): boolean {
  return (
    Object.keys(selector).length > 0 &&
    Object.entries(selector).every(([key, value]) => labels?.[key] === value)
  );
}

/** A probe's or Service's port (number or container port name) as a number. */
function resolvePort(port: number | string, container: Obj): number {
  if (typeof port === 'number') return port;
  const named = (container.ports ?? []).find((p: Obj) => p.name === port);
  expect({ port, named: !!named }).toEqual({ port, named: true });
  return named.containerPort;
}

/** Every string value in a config file. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') {
    return Object.values(value).flatMap(stringsIn);
  }
  return [];
}

/** ${VAR} substitutions (not $${escaped}) in a config file's values. */
function configVariables(file: string): string[] {
  const names = new Set<string>();
  for (const text of stringsIn(readYaml(file))) {
    for (const match of text.matchAll(/(^|[^$])\$\{\s*([A-Za-z_]\w*)\s*\}/g)) {
      names.add(match[2]);
    }
  }
  return [...names].sort();
}

function durationSeconds(value: Obj): number {
  const units: Record<string, number> = {
    milliseconds: 0.001,
    seconds: 1,
    minutes: 60,
    hours: 3600,
  };
  return Object.entries(value).reduce(
    (sum, [unit, amount]) => sum + (units[unit] ?? NaN) * Number(amount),
    0,
  );
}

/** Backend plugins (not modules) added in packages/backend/src/index.ts. */
function backendPluginIds(): string[] {
  const source = read(path.join(repoRoot, 'packages/backend/src/index.ts'));
  const ids = new Set<string>();
  for (const match of source.matchAll(
    /backend\.add\(\s*import\(\s*'([^']+)'\s*\)\s*,?\s*\)/g,
  )) {
    const manifest = JSON.parse(
      read(path.join(repoRoot, 'node_modules', match[1], 'package.json')),
    );
    if (manifest.backstage?.role === 'backend-plugin') {
      ids.add(manifest.backstage.pluginId);
    }
  }
  return [...ids].sort();
}

function maxSurge(deployment: Obj): number {
  const replicas = deployment.spec.replicas;
  const surge = deployment.spec.strategy?.rollingUpdate?.maxSurge ?? '25%';
  return typeof surge === 'number'
    ? surge
    : Math.ceil((replicas * parseInt(surge, 10)) / 100);
}

/** The most portal pods that can run at once: replicas (or HPA max) + surge. */
function peakPods(built: Built, deployment: Obj): number {
  const hpa = built.entries.find(
    e =>
      e.object.kind === 'HorizontalPodAutoscaler' &&
      e.object.spec.scaleTargetRef.name === deployment.metadata.name,
  );
  const replicas = hpa ? hpa.object.spec.maxReplicas : deployment.spec.replicas;
  return replicas + maxSurge(deployment);
}

const productionConfigFile = path.join(repoRoot, 'app-config.production.yaml');
const builds: Array<[string, string]> = [
  ['base', baseDir],
  ['overlays/with-postgres', withPostgresDir],
];

describe.each(builds)('deploy/kubernetes/%s', (_name, dir) => {
  const built = build(dir);
  const objects = allObjects(built);
  const deployment = find(built, 'Deployment', 'portal');
  const podSpec = deployment.spec.template.spec;
  const podLabels = deployment.spec.template.metadata.labels;
  const container = podSpec.containers.find((c: Obj) => c.name === 'backend');
  const k8sConfigMap = built.configMaps.get('portal-app-config')!;
  const k8sConfigFile = Object.values(k8sConfigMap.files)[0];
  const k8sConfig = readYaml(k8sConfigFile);
  const productionConfig = readYaml(productionConfigFile);
  const secretKeys = readEnvFile(secretExample);

  it('is valid against the Kubernetes schemas', () => {
    expect(schemaProblems(objects)).toEqual([]);
  }, 60_000);

  it('puts everything in one namespace and commits no Secret', () => {
    const outside = objects
      .filter(({ object }) =>
        object.kind === 'Namespace'
          ? object.metadata.name !== NAMESPACE
          : object.metadata.namespace !== NAMESPACE,
      )
      .map(({ file, object }) => `${file}: ${object.kind}`);
    expect(outside).toEqual([]);
    const secrets = objects.filter(({ object }) => object.kind === 'Secret');
    expect(secrets).toEqual([]);
  });

  it('runs at least two replicas, rolling without losing capacity', () => {
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(deployment.spec.strategy.type).toBe('RollingUpdate');
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(maxSurge(deployment)).toBeGreaterThanOrEqual(1);
    expect(selects(deployment.spec.selector.matchLabels, podLabels)).toBe(true);

    const pdb = find(built, 'PodDisruptionBudget', 'portal');
    expect(selects(pdb.spec.selector.matchLabels, podLabels)).toBe(true);
    expect(pdb.spec.minAvailable).toBeGreaterThanOrEqual(1);
    // A budget equal to the replica count would block every node drain.
    expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);

    const spread = (podSpec.topologySpreadConstraints ?? []).find(
      (c: Obj) =>
        c.topologyKey === 'kubernetes.io/hostname' &&
        c.whenUnsatisfiable === 'DoNotSchedule',
    );
    expect(spread).toBeDefined();
    expect(selects(spread.labelSelector.matchLabels, podLabels)).toBe(true);
  });

  it('serves on the port of the production config, behind a Service and Ingress', () => {
    const listen = String(productionConfig.backend.listen);
    const port = Number(listen.slice(listen.lastIndexOf(':') + 1));
    expect(port).toBe(7007);
    expect(k8sConfig.backend?.listen).toBeUndefined();
    expect(resolvePort('http', container)).toBe(port);

    const service = find(built, 'Service', 'portal');
    expect(selects(service.spec.selector, podLabels)).toBe(true);
    expect(resolvePort(service.spec.ports[0].targetPort, container)).toBe(port);

    const ingress = find(built, 'Ingress', 'portal');
    const baseUrl = new URL(
      built.configMaps.get('portal-env')!.data.PORTAL_BASE_URL,
    );
    expect(baseUrl.protocol).toBe('https:');
    const rule = ingress.spec.rules[0];
    expect(rule.host).toBe(baseUrl.host);
    expect(ingress.spec.tls[0].hosts).toContain(baseUrl.host);
    const backend = rule.http.paths[0].backend.service;
    expect(backend.name).toBe(service.metadata.name);
    expect(service.spec.ports.map((p: Obj) => p.name)).toContain(
      backend.port.name,
    );
  });

  it('probes the Backstage health endpoints on the container port', () => {
    const expected: Array<[string, string]> = [
      ['startupProbe', READINESS],
      ['readinessProbe', READINESS],
      ['livenessProbe', LIVENESS],
    ];
    for (const [probe, probePath] of expected) {
      const httpGet = container[probe]?.httpGet;
      expect({ probe, path: httpGet?.path }).toEqual({
        probe,
        path: probePath,
      });
      expect(resolvePort(httpGet.port, container)).toBe(7007);
    }
    // Startup (plugin migrations) gets minutes, and the rollout waits longer.
    const startup = container.startupProbe;
    const budget = startup.periodSeconds * startup.failureThreshold;
    expect(budget).toBeGreaterThanOrEqual(120);
    expect(deployment.spec.progressDeadlineSeconds).toBeGreaterThan(budget);
  });

  it('drains before it stops', () => {
    const delay = durationSeconds(
      k8sConfig.backend.lifecycle.serverShutdownDelay,
    );
    expect(delay).toBeGreaterThanOrEqual(5);
    // After the delay, open requests (events bus long polls: up to 55 s) finish.
    expect(podSpec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(
      delay + 60,
    );
  });

  it('runs the image command with the Kubernetes config layered last', () => {
    const dockerfile = read(path.join(repoRoot, 'packages/backend/Dockerfile'));
    const cmd = JSON.parse(/^CMD (\[.*\])\s*$/m.exec(dockerfile)![1]);
    expect(container.command.slice(0, cmd.length)).toEqual(cmd);
    const configs = container.command
      .map((arg: string, i: number) =>
        container.command[i - 1] === '--config' ? arg : undefined,
      )
      .filter(Boolean) as string[];
    const copyTokens = dockerfile
      .match(/^COPY .*$/gm)!
      .join(' ')
      .split(/\s+/);
    const available = (config: string) => {
      if (!path.isAbsolute(config)) {
        // In the repository and copied into the image.
        return (
          fs.existsSync(path.join(repoRoot, config)) &&
          copyTokens.some(token =>
            new RegExp(
              `^${token.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`,
            ).test(config),
          )
        );
      }
      // Mounted from a generated ConfigMap.
      const mount = container.volumeMounts.find(
        (m: Obj) => path.dirname(config) === m.mountPath,
      );
      const volume = podSpec.volumes.find((v: Obj) => v.name === mount?.name);
      const generated = built.configMaps.get(volume?.configMap?.name);
      return generated?.data[path.basename(config)] !== undefined;
    };
    expect(configs.map(config => ({ config, ok: available(config) }))).toEqual(
      configs.map(config => ({ config, ok: true })),
    );
    expect(configs[configs.length - 1]).toBe(
      `/etc/portal/${path.basename(k8sConfigFile)}`,
    );
  });

  it('provides every environment variable the configuration needs', () => {
    const provided = new Map<string, 'required' | 'optional'>();
    const unresolved: string[] = [];
    for (const env of container.env ?? []) {
      const cm = env.valueFrom?.configMapKeyRef;
      const secret = env.valueFrom?.secretKeyRef;
      // A reference must resolve, or the pod does not start.
      const resolves =
        (env.value !== undefined && env.value !== '') ||
        (cm && !!built.configMaps.get(cm.name)?.data[cm.key]) ||
        (secret &&
          secret.name === SECRET_NAME &&
          Object.keys(secretKeys).includes(secret.key));
      if (!resolves) unresolved.push(env.name);
      const optional = cm?.optional || secret?.optional;
      provided.set(env.name, optional ? 'optional' : 'required');
    }
    expect(unresolved).toEqual([]);
    expect(container.envFrom).toBeUndefined();

    const required = [
      ...configVariables(productionConfigFile),
      ...configVariables(k8sConfigFile),
    ];
    expect(required).toEqual(
      expect.arrayContaining(['AUTH_SESSION_SECRET', 'POSTGRES_PASSWORD']),
    );
    for (const name of required) {
      expect({ name, provided: provided.get(name) }).toEqual({
        name,
        provided: 'required',
      });
    }
    // app-config.yaml's variables (GITHUB_TOKEN) may be left unset.
    for (const name of configVariables(
      path.join(repoRoot, 'app-config.yaml'),
    )) {
      expect({ name, provided: provided.has(name) }).toEqual({
        name,
        provided: true,
      });
    }
    expect(productionConfig.backend.database.client).toBe('pg');
  });

  it('documents every Secret key with placeholders only', () => {
    const referenced = new Set<string>();
    for (const { object } of built.entries) {
      for (const spec of podSpecs(object)) {
        for (const c of containersOf(spec)) {
          for (const env of c.env ?? []) {
            const ref = env.valueFrom?.secretKeyRef;
            if (ref) referenced.add(ref.key);
          }
        }
      }
    }
    expect(Object.keys(secretKeys).sort()).toEqual([...referenced].sort());
    for (const [key, value] of Object.entries(secretKeys)) {
      expect({ key, value }).toEqual({
        key,
        value: expect.stringMatching(/^<[^<>]+>$/),
      });
    }
  });

  it('pins images, limits resources and runs unprivileged', () => {
    for (const { file, object } of built.entries) {
      for (const spec of podSpecs(object)) {
        const where = `${file} ${object.kind}/${object.metadata.name}`;
        expect({ where, pod: spec.securityContext }).toEqual({
          where,
          pod: expect.objectContaining({
            runAsNonRoot: true,
            runAsUser: expect.any(Number),
            seccompProfile: { type: 'RuntimeDefault' },
          }),
        });
        expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
        for (const c of containersOf(spec)) {
          const image = splitImage(c.image);
          expect({
            where,
            image: c.image,
            pinned: !!(image.tag || image.digest),
          }).toEqual({ where, image: c.image, pinned: true });
          expect(image.tag).not.toBe('latest');
          expect({ where, resources: c.resources }).toEqual({
            where,
            resources: {
              requests: {
                cpu: expect.anything(),
                memory: expect.anything(),
              },
              limits: expect.objectContaining({ memory: expect.anything() }),
            },
          });
          expect({ where, securityContext: c.securityContext }).toEqual({
            where,
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
            },
          });
          // A read-only root needs a writable /tmp.
          const tmp = c.volumeMounts?.find((m: Obj) => m.mountPath === '/tmp');
          const volume = spec.volumes?.find((v: Obj) => v.name === tmp?.name);
          expect({ where, tmp: volume?.emptyDir }).toEqual({
            where,
            tmp: expect.any(Object),
          });
        }
      }
    }
  });

  it('shares the golden paths local git host between replicas', () => {
    const directory = k8sConfig.goldenPath.localGit.directory;
    expect(path.isAbsolute(directory)).toBe(true);
    const mount = container.volumeMounts.find(
      (m: Obj) => m.mountPath === directory,
    );
    const volume = podSpec.volumes.find((v: Obj) => v.name === mount?.name);
    const claim = find(
      built,
      'PersistentVolumeClaim',
      volume?.persistentVolumeClaim?.claimName,
    );
    expect(
      deployment.spec.replicas === 1 ||
        claim.spec.accessModes.includes('ReadWriteMany'),
    ).toBe(true);
  });

  it('sizes the database pools of all replicas within max_connections', () => {
    const plugins = backendPluginIds();
    expect(plugins).toEqual(
      expect.arrayContaining(['app', 'auth', 'catalog', 'events', 'search']),
    );
    const database = { ...productionConfig.backend.database };
    Object.assign(database, k8sConfig.backend.database);
    // Both modes give each plugin its own knex client, so its own pool.
    expect(['database', 'schema']).toContain(
      database.pluginDivisionMode ?? 'database',
    );
    const baseMax = database.knexConfig?.pool?.max ?? KNEX_DEFAULT_POOL_MAX;
    const pools = plugins.map(
      id => database.plugin?.[id]?.knexConfig?.pool?.max ?? baseMax,
    );
    const pooled = pools.reduce((a, b) => a + b, 0);
    // Outside the pools: the events bus LISTEN connection, the admin
    // connection that creates missing plugin databases at startup, and the
    // startup lock's session (startBackendSerialised.ts).
    const outsidePools = (plugins.includes('events') ? 1 : 0) + 1 + 1;
    const perReplica = pooled + outsidePools;
    const pods = peakPods(built, deployment);
    const total = pods * perReplica;

    const statefulSet = built.entries.find(
      e => e.object.kind === 'StatefulSet',
    )?.object;
    // The in-cluster PostgreSQL's settings; a managed one's max_connections
    // is not in these files, the README states what it needs.
    const args: string[] =
      statefulSet?.spec.template.spec.containers[0].args ?? [];
    const setting = (name: string) => {
      const arg = args.find(a => a.startsWith(`${name}=`));
      return arg ? Number(arg.split('=')[1]) : undefined;
    };
    const maxConnections = setting('max_connections') ?? Infinity;
    const reserved =
      setting('superuser_reserved_connections') ?? DEFAULT_RESERVED;
    expect(maxConnections).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(maxConnections - reserved - HEADROOM);
    expect(!statefulSet || Number.isFinite(maxConnections)).toBe(true);

    // deploy/README.md shows this arithmetic; it must match the manifests.
    const doc = read(readme);
    for (const id of plugins) expect(doc).toContain(`backstage_plugin_${id}`);
    const others = pools.filter(max => max !== baseMax).length;
    expect(doc).toContain(
      `${plugins.length - others} × ${baseMax} + ${pools
        .filter(max => max !== baseMax)
        .join(' + ')} = ${pooled}`,
    );
    expect(doc).toContain(`${pooled} + ${outsidePools} = ${perReplica}`);
    expect(doc).toContain(`${pods} × ${perReplica} = ${total}`);
    expect(doc).toContain(
      `max_connections ≥ ${total} + ${DEFAULT_RESERVED} + ${HEADROOM} = ${
        total + DEFAULT_RESERVED + HEADROOM
      }`,
    );
  });
});

describe('deploy/kubernetes/overlays/with-postgres', () => {
  const built = build(withPostgresDir);
  const env = built.configMaps.get('portal-env')!.data;

  it('points the portal at the in-cluster PostgreSQL', () => {
    const statefulSet = find(built, 'StatefulSet', 'portal-postgres');
    const labels = statefulSet.spec.template.metadata.labels;
    const service = find(built, 'Service', env.POSTGRES_HOST);
    expect(selects(service.spec.selector, labels)).toBe(true);
    expect(statefulSet.spec.serviceName).toBe(service.metadata.name);
    const postgres = statefulSet.spec.template.spec.containers[0];
    expect(resolvePort(service.spec.ports[0].targetPort, postgres)).toBe(
      Number(env.POSTGRES_PORT),
    );
    expect(env.PGSSLMODE).toBe('disable');

    // The superuser it creates is the user the portal connects as.
    const fromSecret = (name: string) =>
      postgres.env.find((e: Obj) => e.name === name)?.valueFrom?.secretKeyRef;
    expect(fromSecret('POSTGRES_USER')).toEqual({
      name: SECRET_NAME,
      key: 'POSTGRES_USER',
    });
    expect(fromSecret('POSTGRES_PASSWORD')).toEqual({
      name: SECRET_NAME,
      key: 'POSTGRES_PASSWORD',
    });
    expect(
      statefulSet.spec.volumeClaimTemplates[0].spec.resources.requests.storage,
    ).toBeDefined();

    const policy = find(built, 'NetworkPolicy', 'portal-postgres');
    expect(selects(policy.spec.podSelector.matchLabels, labels)).toBe(true);
    const deployment = find(built, 'Deployment', 'portal');
    expect(
      selects(
        policy.spec.ingress[0].from[0].podSelector.matchLabels,
        deployment.spec.template.metadata.labels,
      ),
    ).toBe(true);
  });

  it('keeps the base pointing at an external PostgreSQL', () => {
    const base = build(baseDir).configMaps.get('portal-env')!.data;
    expect(base.POSTGRES_HOST).not.toBe(env.POSTGRES_HOST);
    expect(base.PGSSLMODE).not.toBe('disable');
  });
});
