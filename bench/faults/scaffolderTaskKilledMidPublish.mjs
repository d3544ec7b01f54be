import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  dropDatabases,
  generateSecrets,
  postgresConnectionString,
  startBackend,
  staticToken,
} from '../../scripts/lib/prodBackend.mjs';
import { databaseUrl } from './databaseUrl.mjs';
import { stopBackend } from './stopBackend.mjs';

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/**
 * (4) The backend is killed (SIGKILL) in the middle of a golden-path task's
 * publish step, twice: while the bare repository is being created, then, in
 * the recovered run, after it exists but before the step has finished.
 * Scaffolder task recovery re-runs the step with the same task id after each
 * restart. The task must complete with exactly one repository and one
 * commit, and report that repository.
 *
 * The kill points are exact: a `git` placed first on the backend's PATH
 * blocks the chosen git call and says so; the scenario then kills the
 * backend. The fault is only in the test harness, not in the product.
 */
export async function scaffolderTaskKilledMidPublish({
  bundleDir,
  logDir,
  killAt = ['init', 'clone'],
  timeoutMs = 120_000,
}) {
  const connectionString = postgresConnectionString();
  const prefix = 'portal_fault_scaffold_';
  const secrets = generateSecrets();
  const scaffolderToken = randomBytes(24).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'portal-faults-scaffold-'));
  const gitHost = join(dir, 'git');
  const hooks = join(dir, 'hooks');
  const name = `fault-${randomBytes(3).toString('hex')}`;
  let backend;
  let run = 0;
  const start = () => {
    run += 1;
    backend = startBackend({
      bundleDir,
      port: 7056,
      prefix,
      secrets,
      connectionString,
      logFile: join(logDir, `scaffold-7056-${run}.log`),
      extraConfig: extraConfig({ dir, gitHost }),
      env: {
        PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
        APP_CONFIG_backend_workingDirectory: join(dir, 'work'),
        // Arrays are replaced, not merged: the production entries are repeated.
        APP_CONFIG_backend_auth_externalAccess: JSON.stringify([
          staticToken(secrets.apiToken, 'automation', 'catalog'),
          staticToken(
            secrets.ingestToken,
            'metrics-ingest',
            'platform-metrics',
          ),
          // The scaffolder reads the template with the caller's credentials.
          staticToken(scaffolderToken, 'fault-runner', 'scaffolder', 'catalog'),
        ]),
      },
    });
    return backend;
  };
  await dropDatabases(connectionString, prefix);
  try {
    mkdirSync(gitHost);
    mkdirSync(hooks);
    mkdirSync(join(dir, 'work'));
    writeGitWrapper(join(dir, 'bin'), hooks);
    writeFileSync(join(dir, 'org.yaml'), GROUP);
    for (const point of killAt) writeFileSync(join(hooks, `arm-${point}`), '');

    await start().ready();
    const api = `${backend.baseUrl}/api`;
    const headers = {
      authorization: `Bearer ${scaffolderToken}`,
      'content-type': 'application/json',
    };
    // The template and the owning group are read from files at startup.
    const inCatalog = async ref => {
      const res = await fetch(`${api}/catalog/entities/by-name/${ref}`, {
        headers: { authorization: `Bearer ${secrets.apiToken}` },
      });
      return res.ok;
    };
    await until(
      timeoutMs,
      async () =>
        (await inCatalog('group/default/fault-team')) &&
        (await inCatalog('template/default/node-service')),
      'the template and the owning group in the catalog',
    );

    const startedAt = Date.now();
    const created = await fetch(`${api}/scaffolder/v2/tasks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        templateRef: 'template:default/node-service',
        values: {
          name,
          owner: 'group:default/fault-team',
          tier: 'standard',
          publishTarget: 'local',
        },
      }),
    });
    if (created.status !== 201) {
      throw new Error(
        `task not created: ${created.status} ${await created.text()}`,
      );
    }
    const { id: taskId } = await created.json();

    const taskStatus = async () => {
      const res = await fetch(`${api}/scaffolder/v2/tasks/${taskId}`, {
        headers,
      });
      const body = res.ok ? await res.json() : undefined;
      return ['completed', 'failed', 'cancelled'].includes(body?.status)
        ? body
        : undefined;
    };
    const kills = [];
    for (const point of killAt) {
      const blocked = join(hooks, `blocked-${point}`);
      // A task that ends before reaching the kill point is reported below.
      await until(
        timeoutMs,
        async () => existsSync(blocked) || (await taskStatus()) !== undefined,
        `git ${point}`,
      );
      if (!existsSync(blocked)) break;
      // SIGKILL: no shutdown hooks and no finally blocks, like an OOM kill.
      await backend.stop('SIGKILL');
      process.kill(Number(readFileSync(blocked, 'utf8')), 'SIGKILL');
      rmSync(blocked);
      kills.push({ point, repositories: repositories(gitHost) });
      await start().ready();
    }

    const task = await until(timeoutMs, taskStatus, 'the task to finish');
    const taskSeconds = Math.round((Date.now() - startedAt) / 1000);

    const state = await taskState(connectionString, prefix, taskId);
    const repoPath = join(gitHost, `${name}.git`);
    const found = repositories(gitHost);
    const git = (...args) =>
      execFileSync('git', ['-C', repoPath, ...args])
        .toString()
        .trim();
    const published = found.includes(`${name}.git`);
    const commits = published ? Number(git('rev-list', '--count', 'main')) : 0;
    const message = published ? git('log', '--format=%B', 'main') : '';
    const staging = existsSync(join(gitHost, '.staging'))
      ? readdirSync(join(gitHost, '.staging'))
      : [];
    const registered = await inCatalog(`component/default/${name}`);
    const publishOutput = state.steps?.['publish-local']?.output ?? {};

    const checks = {
      'task killed at every point': kills.length === killAt.length,
      'task recovered after each kill (same task id)':
        state.recovered >= killAt.length,
      'task completed': task.status === 'completed',
      'exactly one repository, one commit': found.length === 1 && commits === 1,
      'the commit names the task': message.includes(
        `Scaffolder-Task: ${taskId}`,
      ),
      'the step reports that repository':
        publishOutput.remoteUrl === `file://${repoPath}`,
      'nothing left in staging': staging.length === 0,
      'service in the catalog': registered,
    };
    return {
      checks,
      numbers: {
        kills: kills
          .map(k => `${k.point} (repositories then: ${k.repositories.length})`)
          .join(', '),
        'recovered events': state.recovered,
        'task status': task.status,
        repositories: found.length,
        commits,
        'task s': taskSeconds,
      },
      details:
        task.status === 'completed' ? [] : [JSON.stringify(state.lastError)],
    };
  } finally {
    await stopBackend(backend);
    await dropDatabases(connectionString, prefix).catch(() => {});
    // A git still blocked (never killed above) would outlive the scenario.
    for (const point of killAt) {
      const blocked = join(hooks, `blocked-${point}`);
      if (existsSync(blocked)) {
        try {
          process.kill(Number(readFileSync(blocked, 'utf8')), 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

function extraConfig({ dir, gitHost }) {
  return `
goldenPath:
  localGit:
    directory: ${gitHost}
# Recovery itself is switched on by app-config.yaml, as in production; only
# the wait is shorter. Heartbeats come every second: five silent seconds mean
# the worker died.
scaffolder:
  taskRecovery:
    staleTimeout: { seconds: 5 }
catalog:
  locations:
    - type: file
      target: ./catalog-info.yaml
    - type: file
      target: ./templates/*/template.yaml
      rules:
        - allow: [Template]
    - type: file
      target: ${join(dir, 'org.yaml')}
      rules:
        - allow: [Group]
`;
}

const GROUP = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: fault-team
spec:
  type: team
  children: []
`;

/**
 * A `git` that, while `<hooks>/arm-<subcommand>` exists, blocks the next
 * call of that subcommand instead of running it, and records its pid in
 * `<hooks>/blocked-<subcommand>`. Every other call runs the real git. The
 * backend passes git a minimal environment, so the paths are written in.
 */
function writeGitWrapper(binDir, hooks) {
  const realGit = execFileSync('sh', ['-c', 'command -v git'])
    .toString()
    .trim();
  mkdirSync(binDir);
  const wrapper = join(binDir, 'git');
  writeFileSync(
    wrapper,
    `#!/bin/sh
for arg in "$@"; do
  if [ -e "${hooks}/arm-$arg" ] && rm "${hooks}/arm-$arg" 2>/dev/null; then
    echo $$ > "${hooks}/blocked-$arg.tmp"
    mv "${hooks}/blocked-$arg.tmp" "${hooks}/blocked-$arg"
    exec sleep 600
  fi
done
exec ${realGit} "$@"
`,
  );
  chmodSync(wrapper, 0o755);
}

async function until(timeoutMs, fn, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let value;
    try {
      value = await fn();
    } catch {
      // not reachable yet: the backend is restarting
    }
    if (value) return value;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function repositories(gitHost) {
  return readdirSync(gitHost).filter(entry => entry.endsWith('.git'));
}

/** The task's saved state (step outputs) and how often it was recovered. */
async function taskState(connectionString, prefix, taskId) {
  const client = new pg.Client({
    connectionString: databaseUrl(connectionString, `${prefix}scaffolder`),
  });
  await client.connect();
  try {
    const { rows: tasks } = await client.query(
      'SELECT state FROM tasks WHERE id = $1',
      [taskId],
    );
    const { rows: events } = await client.query(
      `SELECT event_type, body FROM task_events WHERE task_id = $1 ORDER BY id`,
      [taskId],
    );
    const state = tasks[0]?.state ? JSON.parse(tasks[0].state).state : {};
    const errors = events.filter(e => /error|failed/i.test(e.body));
    return {
      steps: state?.steps ?? {},
      recovered: events.filter(e => e.event_type === 'recovered').length,
      lastError: errors.at(-1)?.body,
    };
  } finally {
    await client.end();
  }
}
