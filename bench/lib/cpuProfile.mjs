// V8 CPU profiles of a benchmarked backend, taken over the inspector protocol
// (the backend runs with --inspect), so that only a measured window is
// profiled, not the start-up.
import { writeFileSync } from 'node:fs';

/**
 * Starts the V8 sampling profiler (500 µs interval) of the process whose
 * inspector listens on `inspectorPort`. The returned function stops it, writes
 * the profile to `file` and returns it.
 */
export async function startCpuProfile(inspectorPort) {
  const [target] = await (
    await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)
  ).json();
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((ok, fail) => {
    ws.onopen = ok;
    ws.onerror = fail;
  });
  let id = 0;
  const pending = new Map();
  ws.onmessage = ({ data }) => {
    const message = JSON.parse(data);
    pending.get(message.id)?.(message.result);
    pending.delete(message.id);
  };
  const send = (method, params = {}) =>
    new Promise(resolveCall => {
      pending.set(++id, resolveCall);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 500 });
  await send('Profiler.start');
  return async file => {
    const { profile } = await send('Profiler.stop');
    ws.close();
    writeFileSync(file, JSON.stringify(profile));
    return profile;
  };
}

/**
 * Self time by layer, by package and by function. `layers` is a list of
 * [name, regular expression over the script URL]; a sample counts for the
 * innermost frame on its stack that matches one.
 */
export function summariseProfile(profile, file, layers) {
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const parentOf = new Map();
  for (const n of profile.nodes) {
    for (const child of n.children ?? []) parentOf.set(child, n.id);
  }
  const layerOf = new Map();
  const layer = nodeId => {
    if (layerOf.has(nodeId)) return layerOf.get(nodeId);
    const { callFrame } = byId.get(nodeId);
    const hit = layers.find(([, re]) => re.test(callFrame.url));
    const parent = parentOf.get(nodeId);
    const result = hit
      ? hit[0]
      : parent === undefined
      ? 'other (node internals, GC, event loop)'
      : layer(parent);
    layerOf.set(nodeId, result);
    return result;
  };
  const self = new Map();
  profile.samples.forEach((nodeId, i) => {
    self.set(nodeId, (self.get(nodeId) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const groups = new Map();
  const functions = new Map();
  const byLayer = new Map();
  let total = 0;
  for (const [nodeId, us] of self) {
    const { callFrame } = byId.get(nodeId);
    if (callFrame.functionName !== '(idle)') {
      const name = layer(nodeId);
      byLayer.set(name, (byLayer.get(name) ?? 0) + us);
    }
    const url = callFrame.url;
    let group;
    if (callFrame.functionName === '(idle)') group = '(idle)';
    else if (callFrame.functionName === '(garbage collector)') group = '(gc)';
    else if (callFrame.functionName === '(program)') group = '(program)';
    else if (url.includes('plugin-platform-metrics-backend'))
      group = 'platform-metrics plugin';
    else if (url.includes('node_modules/')) {
      const rest = url.slice(url.lastIndexOf('node_modules/') + 13).split('/');
      group = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    } else if (url.startsWith('node:') || !url)
      group = 'node internals / native';
    else group = url;
    groups.set(group, (groups.get(group) ?? 0) + us);
    const fn = `${callFrame.functionName || '(anonymous)'} ${url
      .split('/')
      .slice(-2)
      .join('/')}:${callFrame.lineNumber + 1}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
    if (group !== '(idle)') total += us;
  }
  const top = (map, n) =>
    [...map.entries()]
      .filter(([k]) => k !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `${((100 * us) / total).toFixed(1)}% ${k}`);
  return {
    file,
    layers: top(byLayer, layers.length + 1),
    groups: top(groups, 15),
    functions: top(functions, 25),
  };
}
