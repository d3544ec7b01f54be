#!/usr/bin/env node
// Golden-path benchmark: median time from task submission to the new
// service's entity being visible in the catalog, on the local git host.
//
//   node bench/golden-path/run.mjs [--base-url http://localhost:7007]
//     [--runs 5] [--template node-service] [--owner group:default/platform]
//
// Needs a running development portal (`./scripts/portal start`): it signs in
// as guest and creates one service per run, named bench-<time>-<n>.

import { parseArgs } from 'node:util';
import { median } from '../lib/stats.mjs';

const { values: args } = parseArgs({
  options: {
    'base-url': { type: 'string', default: 'http://localhost:7007' },
    runs: { type: 'string', default: '5' },
    template: { type: 'string', default: 'node-service' },
    owner: { type: 'string', default: 'group:default/platform' },
    'timeout-seconds': { type: 'string', default: '120' },
  },
});
const baseUrl = args['base-url'].replace(/\/$/, '');
const runs = Number(args.runs);
const timeoutMs = Number(args['timeout-seconds']) * 1000;
if (!Number.isInteger(runs) || runs < 1)
  throw new Error('--runs must be a positive integer');

async function guestToken() {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    method: 'POST',
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!res.ok) {
    throw new Error(
      `Guest sign-in failed (${res.status}): is the development portal running at ${baseUrl}?`,
    );
  }
  return (await res.json()).backstageIdentity.token;
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function runOnce(token, name) {
  const headers = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  };
  const started = performance.now();
  const created = await fetch(`${baseUrl}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      templateRef: `template:default/${args.template}`,
      values: {
        name,
        owner: args.owner,
        tier: 'standard',
        publishTarget: 'local',
      },
    }),
  });
  if (created.status !== 201) {
    throw new Error(
      `Task submission failed (${created.status}): ${await created.text()}`,
    );
  }
  const { id } = await created.json();

  let entityMs;
  let taskMs;
  let status = 'processing';
  while (
    performance.now() - started < timeoutMs &&
    (entityMs === undefined || taskMs === undefined)
  ) {
    if (entityMs === undefined) {
      const res = await fetch(
        `${baseUrl}/api/catalog/entities/by-name/component/default/${name}`,
        { headers },
      );
      if (res.ok) entityMs = performance.now() - started;
    }
    if (taskMs === undefined) {
      const task = await (
        await fetch(`${baseUrl}/api/scaffolder/v2/tasks/${id}`, { headers })
      ).json();
      if (['completed', 'failed', 'cancelled'].includes(task.status)) {
        taskMs = performance.now() - started;
        status = task.status;
        if (status !== 'completed') break;
      }
    }
    await sleep(50);
  }
  return { name, id, status, entityMs, taskMs };
}

const seconds = ms => (ms === undefined ? 'n/a' : (ms / 1000).toFixed(2));

const token = await guestToken();
const stamp = Date.now().toString(36);
const results = [];
for (let i = 1; i <= runs; i++) {
  results.push(await runOnce(token, `bench-${stamp}-${i}`));
}

const visible = results
  .filter(r => r.entityMs !== undefined)
  .map(r => r.entityMs);
console.log(
  `## Golden path \`${args.template}\`: submission to entity visible in the catalog\n`,
);
console.log(`Target: ${baseUrl}, local git host, ${runs} runs.\n`);
console.log(
  '| run | service | task | submission → task done (s) | submission → entity visible (s) |',
);
console.log('| --- | --- | --- | --- | --- |');
results.forEach((r, i) =>
  console.log(
    `| ${i + 1} | ${r.name} | ${r.status} | ${seconds(r.taskMs)} | ${seconds(
      r.entityMs,
    )} |`,
  ),
);
console.log('');
if (visible.length === results.length) {
  console.log(
    `**Median: ${seconds(median(visible))} s** (min ${seconds(
      Math.min(...visible),
    )} s, max ${seconds(Math.max(...visible))} s)`,
  );
} else {
  console.log(
    `**${results.length - visible.length} of ${
      results.length
    } runs never showed the entity within ${timeoutMs / 1000} s.**`,
  );
  process.exitCode = 1;
}
