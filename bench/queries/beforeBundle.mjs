// The "before" side of the comparison: the same unpacked production bundle with
// only the metrics read path taken from an earlier commit, so that the two builds
// differ in exactly what is being measured:
// - DatabaseMetricsStore: the working tree's file up to its `metrics` section
//   marker (ingestion, shared helpers), the commit's file from the marker on;
// - percentiles.ts and DatabaseSurveyStore.ts (survey results) from the commit;
// - the migrations the commit did not have are removed from the bundle.
// Both modules are transpiled with TypeScript to CommonJS over the bundle's dist
// files, with relative requires pointing at the dist layout (`x.cjs.js`).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const PLUGIN = 'plugins/platform-metrics-backend';
const STORE = `${PLUGIN}/src/database/DatabaseMetricsStore.ts`;
const PERCENTILES = `${PLUGIN}/src/database/percentiles.ts`;
const SURVEY_STORE = `${PLUGIN}/src/database/DatabaseSurveyStore.ts`;
/** The line that starts the store's read path (the query part). */
const MARKER = /^ {2}\/\/ -+ metrics$/m;

function gitShow(root, ref, path) {
  return execFileSync('git', ['show', `${ref}:${path}`], {
    cwd: root,
    encoding: 'utf8',
  });
}

function splitAtMarker(source, name) {
  const match = MARKER.exec(source);
  if (!match) throw new Error(`${name}: no "// ---- metrics" section marker`);
  return [source.slice(0, match.index), source.slice(match.index)];
}

/** TypeScript to CommonJS; relative requires to `name.cjs.js` (or `rename`). */
function transpile(source, rename = {}) {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  return outputText.replace(
    /require\("(\.{1,2}\/[^"]+)"\)/g,
    (_, path) => `require("${rename[path] ?? `${path}.cjs.js`}")`,
  );
}

/** Turns the unpacked bundle in `bundleDir` into the `ref` variant (see above). */
export function makeBeforeBundle({ root, ref, bundleDir }) {
  const [ingestion] = splitAtMarker(
    readFileSync(join(root, STORE), 'utf8'),
    `working tree ${STORE}`,
  );
  const [, queries] = splitAtMarker(
    gitShow(root, ref, STORE),
    `${ref}:${STORE}`,
  );
  const dist = join(bundleDir, PLUGIN, 'dist/database');
  writeFileSync(
    join(dist, 'percentiles.before.cjs.js'),
    transpile(gitShow(root, ref, PERCENTILES)),
  );
  writeFileSync(
    join(dist, 'DatabaseMetricsStore.cjs.js'),
    transpile(ingestion + queries, {
      './percentiles': './percentiles.before.cjs.js',
    }),
  );

  writeFileSync(
    join(dist, 'DatabaseSurveyStore.cjs.js'),
    transpile(gitShow(root, ref, SURVEY_STORE)),
  );

  const listed = execFileSync(
    'git',
    ['ls-tree', '--name-only', ref, `${PLUGIN}/migrations/`],
    { cwd: root, encoding: 'utf8' },
  );
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
