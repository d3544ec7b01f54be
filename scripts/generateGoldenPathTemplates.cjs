#!/usr/bin/env node
// Writes templates/golden-paths/template.yaml from templates/golden-paths/source/
// with the renderer that the golden-path module's test compares it against.
// Run it as `yarn templates:generate`.
require('@backstage/cli/config/nodeTransform.cjs');
const fs = require('node:fs');
const path = require('node:path');
const {
  GOLDEN_PATH_TEMPLATES_FILE,
  renderGoldenPathTemplates,
} = require('../plugins/scaffolder-backend-module-golden-path/src/renderGoldenPathTemplates');

fs.writeFileSync(GOLDEN_PATH_TEMPLATES_FILE, renderGoldenPathTemplates());
console.log(
  `Wrote ${path.relative(process.cwd(), GOLDEN_PATH_TEMPLATES_FILE)}`,
);
