// Generates src/schema/openapi/generated/router.ts from src/schema/openapi.yaml, the
// single source of truth of the HTTP API; `--stdout` prints it instead of writing it.
// src/schema/openapi.test.ts fails when the committed file is not this output.
// (Backstage's repo-tools generator needs a Java download that these machines cannot
// make; the output has the same shape: the spec as a typed constant and a router
// factory validating every request against it.)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { parse } from 'yaml';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(pkg, 'src/schema/openapi/generated/router.ts');
const spec = parse(readFileSync(join(pkg, 'src/schema/openapi.yaml'), 'utf8'));

const source = `// Generated from src/schema/openapi.yaml by scripts/generateOpenApiRouter.mjs.
// Do not edit: run \`yarn generate:openapi\` in this package.
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = ${JSON.stringify(spec, null, 2)} as const;

export const createOpenApiRouter = (
  options?: Parameters<typeof createValidatedOpenApiRouter>[1],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
`;

const formatted = prettier.format(source, {
  ...(await prettier.resolveConfig(target)),
  filepath: target,
});

if (process.argv.includes('--stdout')) {
  process.stdout.write(formatted);
} else {
  writeFileSync(target, formatted);
}
