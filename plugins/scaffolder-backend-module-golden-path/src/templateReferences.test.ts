import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  GOLDEN_PATH_TEMPLATES_FILE,
  GOLDEN_PATHS_DIRECTORY,
} from './renderGoldenPathTemplates';

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

// The public reference templates reference parameters the form does not
// define and steps that do not exist; nothing catches that before run time.
const UPGRADE_TEMPLATE_FILE = path.join(
  GOLDEN_PATHS_DIRECTORY,
  '../golden-path-upgrade/template.yaml',
);

describe.each(
  [GOLDEN_PATH_TEMPLATES_FILE, UPGRADE_TEMPLATE_FILE].flatMap(file =>
    parseAllDocuments(fs.readFileSync(file, 'utf8')).map(doc => {
      const template = doc.toJS();
      return [template.metadata.name, template, doc.toString()] as const;
    }),
  ),
)('template %s', (_name, template, source) => {
  const parameters = new Set<string>();
  const collect = (schema: any) => {
    Object.keys(schema?.properties ?? {}).forEach(key => parameters.add(key));
    for (const dependency of Object.values(schema?.dependencies ?? {})) {
      for (const branch of (dependency as any).oneOf ?? []) collect(branch);
    }
  };
  [template.spec.parameters].flat().forEach(collect);
  const stepIds: string[] = template.spec.steps.map((s: any) => s.id);

  it('references only parameters the form defines', () => {
    const used = [...source.matchAll(/parameters\.([A-Za-z0-9_]+)/g)].map(
      m => m[1],
    );
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter(name => !parameters.has(name))).toEqual([]);
  });

  it('references only steps that exist, and only earlier ones', () => {
    template.spec.steps.forEach((step: any, index: number) => {
      const text = JSON.stringify(step);
      const refs = [
        ...text.matchAll(/steps\.([A-Za-z0-9_]+)\.output/g),
        ...text.matchAll(/steps\[\\?'([A-Za-z0-9_-]+)\\?'\]/g),
      ].map(m => m[1]);
      for (const ref of refs) {
        expect(stepIds.slice(0, index)).toContain(ref);
      }
    });
    const outputRefs = [
      ...JSON.stringify(template.spec.output).matchAll(
        /steps\[\\?'([A-Za-z0-9_-]+)\\?'\]|steps\.([A-Za-z0-9_]+)\./g,
      ),
    ].map(m => m[1] ?? m[2]);
    expect(outputRefs.filter(ref => !stepIds.includes(ref))).toEqual([]);
  });

  it('has unique step ids and fetches only parts that exist', () => {
    expect(new Set(stepIds).size).toBe(stepIds.length);
    for (const step of template.spec.steps) {
      if (step.action !== 'fetch:template') continue;
      expect(
        fs.existsSync(path.join(GOLDEN_PATHS_DIRECTORY, step.input.url)),
      ).toBe(true);
    }
  });

  it('uses in skeleton files only values it passes', () => {
    const values = new Set(
      Object.keys(
        template.spec.steps.find((s: any) => s.action === 'fetch:template')
          ?.input.values ?? {},
      ),
    );
    const parts = template.spec.steps
      .filter((s: any) => s.action === 'fetch:template')
      .map((s: any) => path.join(GOLDEN_PATHS_DIRECTORY, s.input.url));
    const missing = new Set<string>();
    for (const file of parts.flatMap(walk)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const match of text.matchAll(/values\.([A-Za-z0-9_]+)/g)) {
        if (!values.has(match[1]))
          missing.add(
            `${path.relative(GOLDEN_PATHS_DIRECTORY, file)}: ${match[1]}`,
          );
      }
    }
    expect([...missing]).toEqual([]);
  });
});
