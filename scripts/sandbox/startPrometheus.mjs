import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { until } from './until.mjs';

const run = promisify(execFile);

/**
 * Writes the rule file and checks it with `promtool check rules`, then the
 * whole configuration with `promtool check config`, and starts Prometheus on
 * 127.0.0.1:<port>. Resolves once Prometheus is ready.
 */
export async function startPrometheus({
  processes,
  prometheus,
  promtool,
  dir,
  port,
  scrapeConfigs,
  ruleFile,
  alertmanagerPort,
  evaluationInterval,
  logFile,
}) {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const rulesPath = join(dir, 'rules.yaml');
  const configPath = join(dir, 'prometheus.yaml');
  writeFileSync(rulesPath, stringify(ruleFile));
  await promtoolCheck(promtool, ['check', 'rules', rulesPath]);
  writeFileSync(
    configPath,
    stringify({
      global: {
        scrape_interval: evaluationInterval,
        evaluation_interval: evaluationInterval,
      },
      rule_files: [rulesPath],
      alerting: {
        alertmanagers: [
          { static_configs: [{ targets: [`127.0.0.1:${alertmanagerPort}`] }] },
        ],
      },
      scrape_configs: scrapeConfigs,
    }),
  );
  await promtoolCheck(promtool, ['check', 'config', configPath]);

  const server = processes.start(
    'prometheus',
    prometheus,
    [
      `--config.file=${configPath}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // Firing alerts are re-sent every minute by default; the sandbox's
      // Alertmanager should hear about them as soon as they fire.
      `--rules.alert.resend-delay=${evaluationInterval}`,
    ],
    { logFile },
  );
  const url = `http://127.0.0.1:${port}`;
  await until(
    `Prometheus on :${port} to be ready`,
    async () => {
      server.assertRunning();
      return (await fetch(`${url}/-/ready`)).ok;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
  return { server, url, rulesPath, configPath };
}

async function promtoolCheck(promtool, args) {
  try {
    return await run(promtool, args);
  } catch (error) {
    throw new Error(
      `promtool ${args.join(' ')} failed:\n${error.stdout}${error.stderr}`,
    );
  }
}
