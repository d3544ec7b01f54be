import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The programs the sandbox runs, each with the Debian package that installs
 * it (.ci/run installs the missing ones in CI).
 */
const PROGRAMS = [
  { program: 'prometheus', path: '/usr/bin/prometheus', pkg: 'prometheus' },
  { program: 'promtool', path: '/usr/bin/promtool', pkg: 'prometheus' },
  {
    program: 'prometheus-alertmanager',
    path: '/usr/bin/prometheus-alertmanager',
    pkg: 'prometheus-alertmanager',
  },
  {
    program: 'amtool',
    path: '/usr/bin/amtool',
    pkg: 'prometheus-alertmanager',
  },
  { program: 'dnsmasq', path: '/usr/sbin/dnsmasq', pkg: 'dnsmasq-base' },
  { program: 'openssl', pkg: 'openssl' },
  // The generated ci/report-deployment.sh builds its event with jq and posts it with curl.
  { program: 'jq', pkg: 'jq' },
  { program: 'curl', pkg: 'curl' },
  { program: 'git', pkg: 'git' },
  // Installs the generated service's dependencies.
  { program: 'npm', pkg: 'npm' },
];

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path of `program`: its fixed path, else the first on PATH. */
function locate({ program, path }) {
  if (path) return executable(path) ? path : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, program))) return join(dir, program);
  }
  return undefined;
}

/**
 * Every program's path, or the Debian packages that are missing (each named
 * once, in the order above).
 */
export function findPrograms() {
  const paths = {};
  const missing = [];
  for (const entry of PROGRAMS) {
    const found = locate(entry);
    if (found) paths[entry.program] = found;
    else if (!missing.includes(entry.pkg)) missing.push(entry.pkg);
  }
  return { paths, missing };
}
