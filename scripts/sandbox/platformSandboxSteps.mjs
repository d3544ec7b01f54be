// The platform sandbox: the golden path's whole loop, with real parts. A real
// scaffolder renders node-service into the portal's git host; the generated
// service runs from that repository; a real Prometheus scrapes it and
// evaluates its generated rules; a real Alertmanager delivers the alerts to
// the portal; a real DNS server (dnsmasq) serves its hostname; HTTPS comes
// from a throwaway CA. Loki is the one stand-in (Debian does not package it):
// startLokiStandIn.mjs speaks Loki's push and query_range API and holds the
// service's real stdout lines. The portal's live checks probe all of them,
// and the service's lead time ends when they all pass.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import https from 'node:https';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  dropDatabases,
  postgresConnectionString,
} from '../lib/prodBackend.mjs';
import { stopBackend } from '../../bench/faults/stopBackend.mjs';
import { startAlertmanager } from './startAlertmanager.mjs';
import { startDnsServer } from './startDnsServer.mjs';
import { readGoldenPathManifests } from './readGoldenPathManifests.mjs';
import { checkoutService } from './checkoutService.mjs';
import { requestService } from './requestService.mjs';
import { startLokiStandIn } from './startLokiStandIn.mjs';
import { createLogShipper } from './createLogShipper.mjs';
import { fluentBitLabels } from './fluentBitLabels.mjs';
import { freePort } from './freePort.mjs';
import { promAlerts, promQuery } from './prometheusApi.mjs';
import { startPrometheus } from './startPrometheus.mjs';
import { ruleFileFor } from './ruleFileFor.mjs';
import { scrapeConfigsFor } from './scrapeConfigsFor.mjs';
import { SANDBOX_TEAM, startSandboxPortal } from './startSandboxPortal.mjs';
import { startServiceProcess } from './startServiceProcess.mjs';
import { createThrowawayCa } from './createThrowawayCa.mjs';
import { ChecksTimeline } from './ChecksTimeline.mjs';
import { startTlsProxy } from './startTlsProxy.mjs';
import { until } from './until.mjs';

const run = promisify(execFile);

/** The test's time scale: what takes minutes in production takes seconds here. */
const SCRAPE_AND_EVALUATION_INTERVAL = '1s';
// Longer than the 5 s Prometheus takes to apply new scrape targets: until
// the first scrape, the generated Unavailable rule's absent(up{...}) holds,
// and a shorter `for:` would fire it before the service was ever stopped.
const ALERT_FOR = '15s';
const BASE_DOMAIN = 'apps.sandbox.test';
const DB_PREFIX = 'portal_sandbox_';
/** Every live check the portal runs (SERVICE_CHECK_IDS). */
const ALL_CHECKS = [
  'image',
  'pipeline',
  'alerts',
  'logs',
  'tls',
  'dns',
  'metrics',
  'health',
];

/**
 * The steps, in order; each returns a one-line detail for the log. A step
 * that throws fails the run, and the steps after it do not run: each needs
 * what the ones before it built.
 *
 * @param {object} options
 * @param {Record<string,string>} options.paths programs, from findPrograms()
 * @param {string} options.bundleDir unpacked backend bundle
 * @param {string} options.dir the run's temporary folder
 * @param {string} options.logDir where every process logs
 * @param {number} options.portalPort
 * @param {import('./ProcessGroup.mjs').ProcessGroup} options.processes
 * @param {import('./Cleanup.mjs').Cleanup} options.cleanup
 */
export function platformSandboxSteps({
  paths,
  bundleDir,
  dir,
  logDir,
  portalPort,
  processes,
  cleanup,
}) {
  const name = `sandbox-${randomBytes(3).toString('hex')}`;
  const hostname = `${name}.${BASE_DOMAIN}`;
  const entityRef = `component:default/${name}`;
  const pod = `${name}-0`;
  const log = file => join(logDir, file);
  // Filled in by the steps.
  const s = {};

  /** Every read of the metrics API covers the run: from yesterday to tomorrow. */
  const period = () => {
    const day = 24 * 3600 * 1000;
    const from = new Date(Date.now() - day).toISOString();
    const to = new Date(Date.now() + day).toISOString();
    return `from=${from}&to=${to}`;
  };
  const metrics = path =>
    s.portal.call(
      `/platform-metrics/v1/${path}${
        path.includes('?') ? '&' : '?'
      }${period()}`,
    );
  const incidentsOfService = async state =>
    (await metrics(`incidents?state=${state}`)).items.filter(
      i => i.entityRef === entityRef,
    );
  const requestOfService = async () =>
    (await metrics('service-requests')).items.find(
      r => r.entityRef === entityRef,
    );

  const checksPath = `/platform-metrics/v1/services/default/${name}/checks`;
  const timeline = new ChecksTimeline();
  /**
   * Runs the service's checks ("check now") until those in `pass` pass, those
   * in `fail` fail with a detail and those in `notPass` do not pass, and
   * returns that answer. Every answer goes on the timeline.
   */
  const untilChecks = (what, { pass = [], fail = [], notPass = [] }) =>
    until(
      what,
      async () => {
        const answer = await s.portal.call(`${checksPath}/run`, {
          method: 'POST',
        });
        timeline.record(answer);
        const byId = new Map(answer.checks.map(c => [c.id, c]));
        const wrong = [
          ...pass.filter(id => byId.get(id)?.status !== 'pass'),
          ...fail.filter(
            id => byId.get(id)?.status !== 'fail' || !byId.get(id).detail,
          ),
          ...notPass.filter(id => byId.get(id)?.status === 'pass'),
        ];
        if (wrong.length > 0) {
          throw new Error(
            wrong
              .map(
                id => `${id} ${byId.get(id)?.status}: ${byId.get(id)?.detail}`,
              )
              .join('; '),
          );
        }
        return answer;
      },
      { timeoutMs: 30_000, intervalMs: 1000 },
    );
  /** The service in "in production without observability", or undefined. */
  const unverifiedEntry = async () =>
    (await s.portal.call('/platform-metrics/v1/checks/unverified')).items.find(
      i => i.entityRef === entityRef,
    );
  /** Fails unless the answer's verifiedAt is `expected` (null: not verified). */
  const expectVerifiedAt = (answer, expected) => {
    if (answer.verifiedAt !== expected) {
      throw new Error(
        `verifiedAt ${
          answer.verifiedAt
        }, expected ${expected}; checks: ${answer.checks
          .map(c => `${c.id} ${c.status} since ${c.since}`)
          .join(', ')}`,
      );
    }
  };
  /**
   * Runs the checks until `ids` pass (their parts are up) while image and
   * pipeline still fail: before the first production deployment, passing
   * checks verify nothing.
   */
  const checksGreenBeforeDeployment = async ids => {
    const answer = await untilChecks(`${ids.join(', ')} passing`, {
      pass: ids,
      fail: ['image', 'pipeline'],
    });
    expectVerifiedAt(answer, null);
    return `checks: ${ids.join(', ')} pass, not verified yet`;
  };

  /** `https://<hostname>:<port><path>`, resolved by dnsmasq, trusting `ca` only. */
  const httpsGet = (path, ca) =>
    new Promise((resolve, reject) => {
      const req = https.get(
        {
          hostname,
          port: s.proxy.port,
          path,
          ca,
          timeout: 5000,
          lookup: (host, options, callback) => {
            s.dns.resolver.resolve4(host).then(
              addresses =>
                options.all
                  ? callback(
                      null,
                      addresses.map(address => ({ address, family: 4 })),
                    )
                  : callback(null, addresses[0], 4),
              callback,
            );
          },
        },
        res => {
          let body = '';
          res.on('data', chunk => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode, body }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
    });

  const startService = async () => {
    s.service = await startServiceProcess({
      processes,
      repoDir: s.repo.dir,
      manifests: s.manifests,
      port: s.ports.service,
      onLine: line => s.shipper.ship(line),
      logFile: log(`${name}.log`),
    });
  };

  return [
    {
      name: 'Throwaway CA, DNS server and Loki stand-in',
      async run() {
        s.ports = {
          dns: await freePort(),
          proxy: await freePort(),
          loki: await freePort(),
          service: await freePort(),
          prometheus: await freePort(),
          alertmanager: await freePort(),
        };
        s.ca = await createThrowawayCa({
          openssl: paths.openssl,
          dir: join(dir, 'ca'),
          hostname,
        });
        s.dns = await startDnsServer({
          processes,
          dnsmasq: paths.dnsmasq,
          port: s.ports.dns,
          hostname,
          logFile: log('dnsmasq.log'),
        });
        s.loki = await startLokiStandIn({ port: s.ports.loki });
        cleanup.add('Loki stand-in', () => s.loki.close());
        return `${hostname} -> ${(await s.dns.resolver.resolve4(hostname)).join(
          ', ',
        )} via dnsmasq :${s.ports.dns}; Loki stand-in ${s.loki.url}`;
      },
    },
    {
      name: 'Start the portal (built backend, PostgreSQL)',
      async run() {
        const connectionString = postgresConnectionString();
        await dropDatabases(connectionString, DB_PREFIX);
        cleanup.add('databases', () =>
          dropDatabases(connectionString, DB_PREFIX),
        );
        const portal = startSandboxPortal({
          bundleDir,
          dir: join(dir, 'portal'),
          port: portalPort,
          prefix: DB_PREFIX,
          baseDomain: BASE_DOMAIN,
          checks: checksConfig(s),
          logFile: log('backend.log'),
        });
        cleanup.add('portal', () => stopBackend(portal.backend));
        s.portal = await portal.ready;
        return `${s.portal.baseUrl}, databases ${DB_PREFIX}*`;
      },
    },
    {
      name: 'Request node-service through the scaffolder',
      async run() {
        const { taskId } = await requestService(s.portal, {
          name,
          owner: `group:default/${SANDBOX_TEAM}`,
        });
        await until(`${entityRef} in the catalog`, () =>
          s.portal.inCatalog(`component/default/${name}`),
        );
        return `task ${taskId} completed; ${name}.git on the git host; ${entityRef} in the catalog`;
      },
    },
    {
      name: 'The request is recorded',
      async run() {
        const { items } = await metrics('service-requests');
        const request = items.find(r => r.entityRef === entityRef);
        if (!request) {
          throw new Error(
            `no service request for ${entityRef} (got ${
              items.map(r => r.entityRef).join(', ') || 'none'
            })`,
          );
        }
        if (request.readyAt !== null || request.template !== 'node-service') {
          throw new Error(`unexpected request ${JSON.stringify(request)}`);
        }
        s.request = request;
        return `requested at ${request.requestedAt} by ${request.teamRef}, template ${request.template} ${request.templateVersion}, not ready yet`;
      },
    },
    {
      name: 'Checks before the first deployment: image and pipeline fail, not verified',
      async run() {
        // The first cycle that covers the service comes before its first
        // production deployment: only then does its lead time end at
        // verifiedAt. dnsmasq already answers; the rest is not up yet.
        const answer = await untilChecks('the first check cycle', {
          pass: ['dns'],
          fail: ['image', 'pipeline', 'health', 'tls', 'logs'],
          notPass: ['metrics', 'alerts'],
        });
        const ids = answer.checks.map(c => c.id);
        const notConfigured = answer.checks.filter(
          c => c.status === 'not-configured',
        );
        if (
          [...ids].sort().join() !== [...ALL_CHECKS].sort().join() ||
          notConfigured.length > 0
        ) {
          throw new Error(
            `checks ${ids.join(', ')}; not configured: ${
              notConfigured.map(c => c.id).join(', ') || 'none'
            }`,
          );
        }
        for (const id of ['image', 'pipeline']) {
          const { detail } = answer.checks.find(c => c.id === id);
          if (!/no successful production deployment/i.test(detail)) {
            throw new Error(`${id}: ${detail}`);
          }
        }
        expectVerifiedAt(answer, null);
        expectVerifiedAt(await s.portal.call(checksPath), null);
        return `${answer.checks
          .map(c => `${c.id} ${c.status}`)
          .join(', ')}; verifiedAt null (GET and POST)`;
      },
    },
    {
      name: 'Install and start the generated service',
      async run() {
        s.repo = await checkoutService({
          gitHost: s.portal.gitHost,
          name,
          dir: join(dir, 'service'),
          git: paths.git,
          npm: paths.npm,
        });
        s.manifests = readGoldenPathManifests(s.repo.dir);
        s.shipper = createLogShipper({
          lokiUrl: s.loki.url,
          labels: fluentBitLabels(s.manifests, pod),
        });
        cleanup.add('log shipper', () => s.shipper.close());
        await startService();
        return `commit ${s.repo.sha.slice(
          0,
          12,
        )}, npm install --omit=dev, listening on :${s.ports.service}`;
      },
    },
    {
      name: 'HTTPS through the TLS proxy, resolved by dnsmasq, trusted through the throwaway CA',
      async run() {
        s.proxy = await startTlsProxy({
          cert: s.ca.cert,
          key: s.ca.key,
          port: s.ports.proxy,
          upstreamPort: s.ports.service,
        });
        cleanup.add('TLS proxy', () => s.proxy.close());
        const trusted = await httpsGet('/readyz', s.ca.ca);
        if (trusted.status !== 200) {
          throw new Error(`/readyz answered ${trusted.status} ${trusted.body}`);
        }
        // The same request trusting only the system CAs must fail: the
        // certificate is the throwaway CA's, not a public one.
        const untrusted = await httpsGet('/readyz', undefined).then(
          res => `HTTP ${res.status}`,
          error => error.code,
        );
        if (
          !/SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY/.test(untrusted)
        ) {
          throw new Error(`without the CA the request gave ${untrusted}`);
        }
        return `https://${hostname}:${
          s.ports.proxy
        }/readyz -> 200; without the CA: ${untrusted}; ${await checksGreenBeforeDeployment(
          ['dns', 'health', 'tls'],
        )}`;
      },
    },
    {
      name: "The Loki stand-in holds the service's stdout lines",
      async run() {
        const labels = fluentBitLabels(s.manifests, pod);
        const query = `{service="${labels.service}", namespace="${labels.namespace}"}`;
        const lines = await until(`log lines for ${query}`, async () => {
          const res = await fetch(
            `${s.loki.url}/loki/api/v1/query_range?query=${encodeURIComponent(
              query,
            )}&limit=10`,
          );
          const body = await res.json();
          const found =
            body.data?.result?.flatMap(r => r.values.map(v => v[1])) ?? [];
          if (!found.some(line => JSON.parse(line).message === 'listening')) {
            throw new Error(`got ${JSON.stringify(body).slice(0, 300)}`);
          }
          return found;
        });
        return `${lines.length} line(s) for ${query}, labels ${Object.keys(
          labels,
        ).join(', ')}; ${await checksGreenBeforeDeployment([
          'dns',
          'health',
          'tls',
          'logs',
        ])}`;
      },
    },
    {
      name: 'Alertmanager routes to the portal webhook',
      async run() {
        s.alertmanager = await startAlertmanager({
          processes,
          alertmanager: paths['prometheus-alertmanager'],
          amtool: paths.amtool,
          dir: join(dir, 'alertmanager'),
          port: s.ports.alertmanager,
          webhookUrl: s.portal.alertmanagerWebhookUrl,
          token: s.portal.alertmanagerToken,
          logFile: log('alertmanager.log'),
        });
        return `amtool check-config OK; ${s.alertmanager.url} -> ${s.portal.alertmanagerWebhookUrl}`;
      },
    },
    {
      name: 'Prometheus scrapes by the generated ServiceMonitor and loads the generated rules',
      async run() {
        const ruleFile = ruleFileFor(s.manifests.prometheusRule, {
          forDuration: ALERT_FOR,
        });
        s.prometheus = await startPrometheus({
          processes,
          prometheus: paths.prometheus,
          promtool: paths.promtool,
          dir: join(dir, 'prometheus'),
          port: s.ports.prometheus,
          scrapeConfigs: scrapeConfigsFor(s.manifests, {
            port: s.ports.service,
            pod,
            interval: SCRAPE_AND_EVALUATION_INTERVAL,
          }),
          ruleFile,
          alertmanagerPort: s.ports.alertmanager,
          evaluationInterval: SCRAPE_AND_EVALUATION_INTERVAL,
          logFile: log('prometheus.log'),
        });
        const selector = `up{job="${name}", namespace="${s.manifests.namespace}", service="${name}", endpoint="http", pod="${pod}"}`;
        await until(`${selector} = 1`, async () => {
          const [sample] = await promQuery(s.prometheus.url, selector);
          if (sample?.value[1] !== '1')
            throw new Error(`got ${JSON.stringify(sample)}`);
          return true;
        });
        // Until the first scrape, absent(up{...}) makes Unavailable pending;
        // the first evaluation after it must clear it (it fires only after
        // ALERT_FOR, and an incident before the stop fails a later step).
        const groups = await until(
          'the generated rule groups, evaluated, Unavailable inactive',
          async () => {
            const body = await (
              await fetch(`${s.prometheus.url}/api/v1/rules`)
            ).json();
            const loaded = body.data.groups;
            const rules = loaded.flatMap(g => g.rules);
            const bad = rules.filter(r => r.health !== 'ok');
            if (loaded.length !== ruleFile.groups.length || bad.length > 0) {
              throw new Error(
                `groups ${loaded.map(g => g.name)}, not ok: ${bad.map(
                  r => `${r.name} ${r.health} ${r.lastError}`,
                )}`,
              );
            }
            const unavailable = rules.find(r => r.name === 'Unavailable');
            if (unavailable?.state !== 'inactive') {
              throw new Error(`Unavailable is ${unavailable?.state}`);
            }
            return loaded;
          },
          { timeoutMs: 15_000 },
        );
        return `promtool check rules OK; ${selector} = 1; ${groups
          .map(g => `${g.name} (${g.rules.length} rules, ok)`)
          .join(', ')}; ${await checksGreenBeforeDeployment([
          'dns',
          'health',
          'tls',
          'logs',
          'metrics',
          'alerts',
        ])}`;
      },
    },
    {
      name: 'The generated ci/report-deployment.sh posts the production deployment',
      async run() {
        // The Deployment's image without its tag (a registry may carry a port).
        const image = s.manifests.container.image.replace(/:[^/:]+$/, '');
        const { stdout } = await run('bash', ['ci/report-deployment.sh'], {
          cwd: s.repo.dir,
          env: {
            PATH: process.env.PATH ?? '',
            PORTAL_INGEST_TOKEN: s.portal.ingestToken,
            SHA: s.repo.sha,
            RUN_ID: `sandbox-${randomBytes(4).toString('hex')}`,
            SOURCE_REPO_URL: s.repo.remoteUrl,
            IMAGE: image,
            // No image is built here: the digest stands for the one a
            // pipeline would push, derived from the commit so it is stable.
            IMAGE_DIGEST: `sha256:${createHash('sha256')
              .update(s.repo.sha)
              .digest('hex')}`,
          },
          timeout: 30_000,
        });
        const answer = JSON.parse(stdout);
        if (answer.stored !== 1)
          throw new Error(`the portal answered ${stdout}`);
        const { items } = await metrics('deployments');
        const deployment = items.find(d => d.entityRef === entityRef);
        if (
          !deployment ||
          deployment.environment !== 'production' ||
          deployment.outcome !== 'success'
        ) {
          throw new Error(`deployments: ${JSON.stringify(items)}`);
        }
        s.deployment = deployment;
        return `stored 1; ${deployment.environment} ${deployment.outcome} at ${deployment.deployedAt}`;
      },
    },
    {
      name: 'The checks turn green one by one: verified when the last one passes',
      async run() {
        const answer = await untilChecks('every check passing', {
          pass: ALL_CHECKS,
        });
        // The first cycle in which every check passed (no earlier one did:
        // image and pipeline failed until the deployment). Its time is the
        // `since` of the check that turned green last; a check that flapped
        // on the way counts from when it passed again.
        const lastGreen = answer.checks
          .map(c => c.since)
          .sort()
          .at(-1);
        const cycleTimes = new Set(answer.checks.map(c => c.lastCheckedAt));
        if (
          cycleTimes.size !== 1 ||
          !cycleTimes.has(lastGreen) ||
          Date.parse(lastGreen) < Date.parse(s.deployment.deployedAt)
        ) {
          throw new Error(
            `last check passed at ${lastGreen}, checked at ${[
              ...cycleTimes,
            ].join(', ')}, deployment at ${s.deployment.deployedAt}`,
          );
        }
        expectVerifiedAt(answer, lastGreen);
        expectVerifiedAt(await s.portal.call(checksPath), lastGreen);
        const listed = await unverifiedEntry();
        if (listed) {
          throw new Error(
            `listed in production without observability: ${JSON.stringify(
              listed,
            )}`,
          );
        }
        s.verifiedAt = lastGreen;
        return `first passes after the request: ${timeline.format(
          s.request.requestedAt,
        )}; verifiedAt ${s.verifiedAt} (GET and POST)`;
      },
    },
    {
      name: 'Lead time is recorded as verified: readyAt = verifiedAt',
      async run() {
        const request = await requestOfService();
        // With the checks covering the service since before its first
        // production deployment, lead time ends when they all passed.
        if (request?.readyAt !== s.verifiedAt) {
          throw new Error(
            `readyAt ${request?.readyAt}, verifiedAt ${s.verifiedAt}, deployment at ${s.deployment.deployedAt}`,
          );
        }
        const { leadTime } = await metrics('summary');
        if (
          leadTime.count !== 1 ||
          leadTime.inFlight !== 0 ||
          leadTime.verified !== 1 ||
          leadTime.declaredOnly !== 0
        ) {
          throw new Error(`summary leadTime ${JSON.stringify(leadTime)}`);
        }
        const seconds =
          (Date.parse(request.readyAt) - Date.parse(request.requestedAt)) /
          1000;
        return `readyAt ${request.readyAt} (${seconds} s after the request, ${
          (Date.parse(request.readyAt) - Date.parse(s.deployment.deployedAt)) /
          1000
        } s after the deployment); summary leadTime count 1, verified 1, declaredOnly 0, median ${
          leadTime.medianSeconds
        } s`;
      },
    },
    {
      name: 'Stopping the service fires the generated Unavailable alert into the portal',
      async run() {
        if (
          (await incidentsOfService('open')).length > 0 ||
          (await incidentsOfService('resolved')).length > 0
        ) {
          throw new Error('an incident exists before the service was stopped');
        }
        const stoppedAt = Date.now();
        // SIGTERM, as Kubernetes stops a pod: the service drains, then exits.
        await s.service.stop('SIGTERM');
        // The checklist shows the failure at once; the alert waits for `for:`.
        await untilChecks('health and metrics failing', {
          fail: ['health', 'metrics'],
        });
        const checksFailedAfter = (Date.now() - stoppedAt) / 1000;
        const [incident] = await until(
          `one open incident for ${entityRef}`,
          async () => {
            const open = await incidentsOfService('open');
            if (open.length !== 1) {
              const alerts = await promAlerts(s.prometheus.url);
              throw new Error(
                `${open.length} open; Prometheus alerts: ${
                  alerts
                    .map(a => `${a.labels.alertname} ${a.state}`)
                    .join(', ') || 'none'
                } (Alertmanager's deliveries: ${
                  s.alertmanager.server.logFile
                })`,
              );
            }
            return open;
          },
          { timeoutMs: 90_000, intervalMs: 500 },
        );
        if (!incident.title?.startsWith('Unavailable')) {
          throw new Error(`incident ${JSON.stringify(incident)}`);
        }
        const { mttr } = await metrics('summary');
        if (mttr.open !== 1 || mttr.count !== 0) {
          throw new Error(`summary mttr ${JSON.stringify(mttr)}`);
        }
        s.incident = incident;
        s.stoppedAt = stoppedAt;
        const whileOpen = await untilChecks(
          'health and metrics failing while the incident is open',
          { fail: ['health', 'metrics'] },
        );
        expectVerifiedAt(whileOpen, s.verifiedAt);
        // In production with failing checks: listed as such, still verified.
        const listed = await unverifiedEntry();
        const listedFailing = listed?.failing.map(f => f.id) ?? [];
        if (
          !listedFailing.includes('health') ||
          !listedFailing.includes('metrics') ||
          listed.verifiedAt !== s.verifiedAt
        ) {
          throw new Error(
            `in production without observability: ${JSON.stringify(listed)}`,
          );
        }
        const failing = whileOpen.checks
          .filter(c => c.status !== 'pass')
          .map(c => `${c.id} ${c.status} ("${c.detail.slice(0, 80)}")`);
        return `"${incident.title}" (${incident.severity}) open ${(
          (Date.now() - stoppedAt) /
          1000
        ).toFixed(
          1,
        )} s after the stop; summary mttr.open 1; checks failing ${checksFailedAfter.toFixed(
          1,
        )} s after the stop: ${failing.join(
          ', ',
        )}; verifiedAt unchanged; listed in production without observability (${listedFailing.join(
          ', ',
        )})`;
      },
    },
    {
      name: 'Restarting the service resolves the incident: MTTR count 1',
      async run() {
        const restartedAt = Date.now();
        await startService();
        const [incident] = await until(
          `the incident of ${entityRef} resolved`,
          async () => {
            const resolved = await incidentsOfService('resolved');
            if (resolved.length !== 1)
              throw new Error(`${resolved.length} resolved`);
            return resolved;
          },
          { timeoutMs: 90_000, intervalMs: 500 },
        );
        if (
          incident.id !== s.incident.id ||
          (await incidentsOfService('open')).length !== 0
        ) {
          throw new Error(
            `resolved ${JSON.stringify(incident)}, opened ${JSON.stringify(
              s.incident,
            )}`,
          );
        }
        const { mttr } = await metrics('summary');
        if (mttr.count !== 1 || mttr.open !== 0) {
          throw new Error(`summary mttr ${JSON.stringify(mttr)}`);
        }
        return `resolved ${((Date.now() - restartedAt) / 1000).toFixed(
          1,
        )} s after the restart; summary mttr.count 1, median ${
          mttr.medianSeconds
        } s`;
      },
    },
    {
      name: 'The checks show the recovery; verifiedAt and readyAt unchanged',
      async run() {
        const answer = await untilChecks('every check passing again', {
          pass: ALL_CHECKS,
        });
        expectVerifiedAt(answer, s.verifiedAt);
        const recovered = answer.checks.filter(c =>
          ['health', 'metrics'].includes(c.id),
        );
        // Passing again, since after the stop: the failure was recorded.
        const stale = recovered.filter(c => Date.parse(c.since) <= s.stoppedAt);
        if (stale.length > 0) {
          throw new Error(
            `${stale
              .map(c => `${c.id} passing since ${c.since}`)
              .join(', ')}, before the stop at ${new Date(
              s.stoppedAt,
            ).toISOString()}`,
          );
        }
        const listed = await unverifiedEntry();
        if (listed) {
          throw new Error(
            `still in production without observability: ${JSON.stringify(
              listed,
            )}`,
          );
        }
        const request = await requestOfService();
        const { leadTime } = await metrics('summary');
        if (request?.readyAt !== s.verifiedAt || leadTime.verified !== 1) {
          throw new Error(
            `readyAt ${request?.readyAt} (verifiedAt ${
              s.verifiedAt
            }), summary leadTime ${JSON.stringify(leadTime)}`,
          );
        }
        return `${recovered
          .map(c => `${c.id} passing again since ${c.since}`)
          .join(', ')}; all ${
          ALL_CHECKS.length
        } pass, no longer listed in production without observability; verifiedAt and readyAt still ${
          s.verifiedAt
        }`;
      },
    },
  ];
}

/**
 * The `platformMetrics.checks` config layer that points the live checks at
 * the sandbox's parts (keys as in readChecksConfig). Loopback addresses are
 * allowed explicitly: everything here runs on 127.0.0.1.
 */
function checksConfig(s) {
  return {
    enabled: true,
    allowedDomains: [BASE_DOMAIN],
    allowPrivateAddresses: true,
    resolver: { servers: [`127.0.0.1:${s.ports.dns}`] },
    tls: { caFile: s.ca.caFile, port: s.ports.proxy },
    prometheus: { baseUrl: `http://127.0.0.1:${s.ports.prometheus}` },
    logs: { loki: { baseUrl: s.loki.url } },
  };
}
