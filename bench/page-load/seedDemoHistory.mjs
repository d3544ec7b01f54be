// Since issue 9 the demo seeder is a development-only module that production
// bundles leave out, so a production bundle cannot seed the history this bench
// measures. Before the measured start, each such bundle gets the module's built
// package and one start with NODE_ENV=development on the variant's own
// databases, which seeds and stops; the measured start is production as before.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

const MODULE = '@internal/plugin-platform-metrics-backend-module-demo-data';
const MODULE_DIR = 'plugins/platform-metrics-backend-module-demo-data';

let built;
/** Builds the demo module's package once per bench run (CommonJS in dist/). */
function buildDemoModule(root) {
  if (!built) {
    execFileSync('yarn', ['workspace', MODULE, 'build'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    built = join(root, MODULE_DIR);
  }
  return built;
}

/**
 * True when the bundle's backend adds the demo module (outside production
 * only); older bundles had the seeder inside the plugin and seed by themselves.
 */
export function needsSeedingStart(bundleDir) {
  const index = join(bundleDir, 'packages/backend/dist/index.cjs.js');
  return existsSync(index) && readFileSync(index, 'utf8').includes(MODULE);
}

/**
 * Puts the built demo module where the bundle's backend resolves it: the
 * unpacked bundle links workspace packages it lacks to the repository, whose
 * package points at TypeScript sources Node cannot load.
 */
export function installDemoModule(root, bundleDir) {
  const source = buildDemoModule(root);
  const target = join(bundleDir, '.bench-demo-module');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  cpSync(join(source, 'dist'), join(target, 'dist'), { recursive: true });
  for (const file of ['config.d.ts']) {
    cpSync(join(source, file), join(target, file));
  }
  const pkg = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
  writeFileSync(
    join(target, 'package.json'),
    JSON.stringify({ ...pkg, main: 'dist/index.cjs.js', types: undefined }),
  );
  const link = join(bundleDir, 'node_modules', MODULE);
  if (existsSync(link) || lstatSync(link, { throwIfNoEntry: false })) {
    rmSync(link, { recursive: true, force: true });
  }
  mkdirSync(join(link, '..'), { recursive: true });
  cpSync(target, link, { recursive: true });
}
