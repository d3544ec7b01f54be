// The "before" side of the comparison: the same unpacked production bundle with
// only the store layer taken from an earlier commit, so that the two builds differ
// in exactly what is being measured:
// - every module under src/database (the metrics store and its modules, the
//   percentiles, the survey store) from the commit, transpiled with TypeScript to
//   CommonJS over the bundle's dist files, relative requires pointing at the dist
//   layout (`x.cjs.js`); the working tree's modules the commit did not have stay
//   in dist, unused;
// - the migrations the commit did not have are removed from the bundle.
// The data is generated in SQL (generate.mjs), so the commit's ingestion code only
// matters for the rollups it keeps.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

const PLUGIN = 'plugins/platform-metrics-backend';
const DATABASE = `${PLUGIN}/src/database/`;

function git(root, args) {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' });
}

/** TypeScript to CommonJS; relative requires to `name.cjs.js`. */
function transpile(source) {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  return outputText.replace(
    /require\("(\.{1,2}\/[^"]+)"\)/g,
    (_, path) => `require("${path}.cjs.js")`,
  );
}

/** Turns the unpacked bundle in `bundleDir` into the `ref` variant (see above). */
export function makeBeforeBundle({ root, ref, bundleDir }) {
  const modules = git(root, ['ls-tree', '-r', '--name-only', ref, DATABASE])
    .split('\n')
    .filter(
      path =>
        path.endsWith('.ts') &&
        !path.endsWith('.test.ts') &&
        !path.includes('/__testUtils__/'),
    );
  if (modules.length === 0) throw new Error(`${ref}: no ${DATABASE}*.ts`);
  const dist = join(bundleDir, PLUGIN, 'dist/database');
  for (const path of modules) {
    const target = join(
      dist,
      path.slice(DATABASE.length).replace(/\.ts$/, '.cjs.js'),
    );
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, transpile(git(root, ['show', `${ref}:${path}`])));
  }

  const listed = git(root, [
    'ls-tree',
    '--name-only',
    ref,
    `${PLUGIN}/migrations/`,
  ]);
  const known = new Set(
    listed
      .split('\n')
      .filter(Boolean)
      .map(p => p.split('/').pop()),
  );
  const migrations = join(bundleDir, PLUGIN, 'migrations');
  const removed = readdirSync(migrations).filter(f => !known.has(f));
  for (const file of removed) rmSync(join(migrations, file));
  return { removedMigrations: removed };
}
