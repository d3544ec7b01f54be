import fs from 'node:fs';
import { parseAllDocuments } from 'yaml';
import {
  GOLDEN_PATH_TEMPLATES_FILE,
  REGENERATE_COMMAND,
  renderGoldenPathTemplates,
} from './renderGoldenPathTemplates';

const BODY = `
metadata:
  name: !stack '{name}'
  description: !stack >-
    A {summary} in minutes.
  tags: [golden-path, !stack '{tags}', kubernetes]
spec:
  steps:
    - name: !stack 'Render the {title}'
      values: &values
        template: !stack '{name}'
        version: !stack '{version}'
        port: !stack '{port}'
    - values: *values
`;

const STACKS = `
templates:
  - name: node-service
    title: Node service
    summary: TypeScript service
    tags: [typescript, nodejs]
    version: 1.0.0
    port: 3000
  - name: go-service
    title: Go service
    summary: Go service
    tags: go
    version: 1.1.0
    port: 8080
`;

const render = (source: { body?: string; stacks?: string }) =>
  parseAllDocuments(
    renderGoldenPathTemplates({ body: BODY, stacks: STACKS, ...source }),
  ).map(doc => doc.toJS());

/** Why the committed file is out of date, and how to fix it; '' if it is not. */
function outOfDate(committed: string, rendered: string) {
  if (committed === rendered) return '';
  const lines = committed.split('\n');
  const expected = rendered.split('\n');
  const differs = lines.findIndex((line, i) => line !== expected[i]);
  const at = differs === -1 ? lines.length : differs;
  return [
    'templates/golden-paths/template.yaml differs from what ' +
      'templates/golden-paths/source/ renders. Edit the source, not the ' +
      `generated file, and run \`${REGENERATE_COMMAND}\`.`,
    `First difference, line ${at + 1}:`,
    `  committed: ${lines[at] ?? '(end of file)'}`,
    `  rendered:  ${expected[at] ?? '(end of file)'}`,
  ].join('\n');
}

describe('renderGoldenPathTemplates', () => {
  it('keeps the committed template.yaml equal to what its source renders', () => {
    const committed = fs.readFileSync(GOLDEN_PATH_TEMPLATES_FILE, 'utf8');
    expect(outOfDate(committed, renderGoldenPathTemplates())).toBe('');
  });

  it('renders one Template per entry with its fields filled in', () => {
    expect(render({})).toEqual([
      {
        metadata: {
          name: 'node-service',
          description: 'A TypeScript service in minutes.',
          tags: ['golden-path', 'typescript', 'nodejs', 'kubernetes'],
        },
        spec: {
          steps: [
            {
              name: 'Render the Node service',
              values: {
                template: 'node-service',
                version: '1.0.0',
                port: 3000,
              },
            },
            {
              values: {
                template: 'node-service',
                version: '1.0.0',
                port: 3000,
              },
            },
          ],
        },
      },
      {
        metadata: {
          name: 'go-service',
          description: 'A Go service in minutes.',
          tags: ['golden-path', 'go', 'kubernetes'],
        },
        spec: {
          steps: [
            {
              name: 'Render the Go service',
              values: { template: 'go-service', version: '1.1.0', port: 8080 },
            },
            {
              values: { template: 'go-service', version: '1.1.0', port: 8080 },
            },
          ],
        },
      },
    ]);
  });

  it('names a field the body uses but an entry does not define', () => {
    expect(() =>
      render({ body: `${BODY}  owner: !stack 'group:default/{team}'\n` }),
    ).toThrow(
      'source/service.yaml for node-service: {team} is not a field of its entry in source/stacks.yaml',
    );
  });

  it('names a field an entry defines but the body never uses', () => {
    expect(() => render({ stacks: `${STACKS}    runtime: go1.23\n` })).toThrow(
      'source/stacks.yaml: go-service defines runtime, which source/service.yaml never uses',
    );
  });

  it('refuses a list inside a longer text', () => {
    expect(() =>
      render({ body: `${BODY}  summary: !stack 'Tags: {tags}'\n` }),
    ).toThrow(
      'source/service.yaml for node-service: {tags} is a list or map, which only fits a whole value',
    );
  });

  it('refuses entries without a valid, unique name', () => {
    expect(() =>
      render({ stacks: STACKS.replace('go-service', 'node-service') }),
    ).toThrow(/source\/stacks\.yaml: .*template names must be unique/s);
    expect(() =>
      render({ stacks: STACKS.replace('name: go-service', 'name: Go') }),
    ).toThrow(/source\/stacks\.yaml: .*templates\[1\]\.name/s);
  });

  it('refuses a source that is not valid YAML', () => {
    expect(() => render({ body: `${BODY}  steps: [\n` })).toThrow(
      /^source\/service\.yaml: /,
    );
  });
});
