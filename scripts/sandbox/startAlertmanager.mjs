import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { until } from './until.mjs';

const run = promisify(execFile);

/**
 * A real Alertmanager that sends every alert, and its resolution, to the
 * portal's Alertmanager webhook with the bearer token the portal expects
 * (plugins/platform-metrics-backend/src/ingestion/sources/alertmanagerSource.ts).
 * The group timings are seconds instead of the usual minutes. Clustering is
 * off (`--cluster.listen-address=`): one instance, no gossip port. The
 * configuration is checked by `amtool check-config` first.
 */
export async function startAlertmanager({
  processes,
  alertmanager,
  amtool,
  dir,
  port,
  webhookUrl,
  token,
  logFile,
}) {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const configPath = join(dir, 'alertmanager.yaml');
  writeFileSync(
    configPath,
    stringify({
      route: {
        receiver: 'portal',
        group_by: ['alertname', 'service'],
        group_wait: '1s',
        group_interval: '1s',
        repeat_interval: '1h',
      },
      receivers: [
        {
          name: 'portal',
          webhook_configs: [
            {
              url: webhookUrl,
              send_resolved: true,
              http_config: {
                authorization: { type: 'Bearer', credentials: token },
              },
            },
          ],
        },
      ],
    }),
    { mode: 0o600 },
  );
  try {
    await run(amtool, ['check-config', configPath]);
  } catch (error) {
    throw new Error(
      `amtool check-config failed:\n${error.stdout}${error.stderr}`,
    );
  }
  const server = processes.start(
    'alertmanager',
    alertmanager,
    [
      `--config.file=${configPath}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    { logFile },
  );
  const url = `http://127.0.0.1:${port}`;
  await until(
    `Alertmanager on :${port} to be ready`,
    async () => {
      server.assertRunning();
      return (await fetch(`${url}/-/ready`)).ok;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
  return { server, url, port };
}
