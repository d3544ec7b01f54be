import fs from 'node:fs';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  isScalar,
  isSeq,
  parseDocument,
  Scalar,
  visit,
  type Document,
  type Node,
  type ScalarTag,
  type YAMLMap,
} from 'yaml';
import { z } from 'zod';

/** The folder the catalog loads the golden-path Templates from. */
export const GOLDEN_PATHS_DIRECTORY = resolvePackagePath(
  '@internal/plugin-scaffolder-backend-module-golden-path',
  '../../templates/golden-paths',
);

/** The committed Templates, generated from the files under `source/`. */
export const GOLDEN_PATH_TEMPLATES_FILE = path.join(
  GOLDEN_PATHS_DIRECTORY,
  'template.yaml',
);

/** The command that regenerates {@link GOLDEN_PATH_TEMPLATES_FILE}. */
export const REGENERATE_COMMAND = 'yarn templates:generate';

const BODY_FILE = 'source/service.yaml';
const STACKS_FILE = 'source/stacks.yaml';

/** The source texts, relative to {@link GOLDEN_PATHS_DIRECTORY}. */
export interface GoldenPathTemplateSource {
  /** One Template whose `!stack '…'` values each entry fills. */
  body: string;
  /** `templates:`, one entry per Template. */
  stacks: string;
}

const HEADER = [
  ` Generated from ${BODY_FILE} and ${STACKS_FILE}: edit those, then run`,
  ` \`${REGENERATE_COMMAND}\`. A test fails while this file disagrees with them.`,
].join('\n');

// A `!stack` value is a scalar; parsing keeps its text for the visitor below.
const STACK_TAG: ScalarTag = {
  tag: '!stack',
  resolve: text => text,
};

const FIELD = /\{([A-Za-z][A-Za-z0-9]*)\}/g;
const WHOLE_FIELD = new RegExp(`^${FIELD.source}$`);

const stacksSchema = z.object({
  templates: z
    .array(
      z
        .object({ name: z.string().regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/) })
        .catchall(z.unknown()),
    )
    .min(1)
    .refine(
      entries => new Set(entries.map(e => e.name)).size === entries.length,
      'template names must be unique',
    ),
});

function parse(file: string, text: string): Document.Parsed {
  const doc = parseDocument(text, { customTags: [STACK_TAG] });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    throw new Error(`${file}: ${problems.map(p => p.message).join('; ')}`);
  }
  return doc;
}

function readSource(): GoldenPathTemplateSource {
  const read = (file: string) =>
    fs.readFileSync(path.join(GOLDEN_PATHS_DIRECTORY, file), 'utf8');
  return { body: read(BODY_FILE), stacks: read(STACKS_FILE) };
}

/**
 * Renders the body once per entry of the stacks file. A `!stack '{field}'`
 * value becomes the entry's field as written there (a list inside a list is
 * spliced into it); any other `!stack` text has each `{field}` replaced by the
 * entry's text. Every field must be used and every `{field}` defined, so a
 * typo fails here rather than in a rendered service.
 */
export function renderGoldenPathTemplates(
  source: GoldenPathTemplateSource = readSource(),
): string {
  const stacksDoc = parse(STACKS_FILE, source.stacks);
  const parsed = stacksSchema.safeParse(stacksDoc.toJS());
  if (!parsed.success) {
    throw new Error(`${STACKS_FILE}: ${z.prettifyError(parsed.error)}`);
  }
  const entryNodes = (stacksDoc.get('templates') as { items: YAMLMap[] }).items;

  return parsed.data.templates
    .map((entry, index) => {
      const where = `${BODY_FILE} for ${entry.name}`;
      const used = new Set<string>();
      const field = (name: string) => {
        if (!(name in entry)) {
          throw new Error(
            `${where}: {${name}} is not a field of its entry in ${STACKS_FILE}`,
          );
        }
        used.add(name);
        return entry[name];
      };
      // The entry's own node keeps the style it is written in (flow list,
      // quotes); a fresh copy per use, as YAML nodes must not be shared.
      const fieldNode = (name: string) => {
        field(name);
        return (entryNodes[index].get(name, true) as Node).clone() as Node;
      };
      const wholeField = (marker: Scalar) =>
        WHOLE_FIELD.exec(String(marker.value))?.[1];

      const doc = parse(BODY_FILE, source.body);
      visit(doc, {
        Seq(_, seq) {
          seq.items = seq.items.flatMap(item => {
            const name =
              isScalar(item) && item.tag === STACK_TAG.tag && wholeField(item);
            if (!name || !Array.isArray(field(name))) return [item];
            const list = fieldNode(name);
            return isSeq(list) ? list.items : [list];
          });
        },
        Scalar(_, marker) {
          if (marker.tag !== STACK_TAG.tag) return undefined;
          const whole = wholeField(marker);
          if (whole) return fieldNode(whole);
          const text = new Scalar(
            String(marker.value).replace(FIELD, (_match, name: string) => {
              const value = field(name);
              if (typeof value === 'object' && value !== null) {
                throw new Error(
                  `${where}: {${name}} is a list or map, which only fits a whole value`,
                );
              }
              return String(value);
            }),
          );
          // Keep a block style (`>-`, `|`); quotes are chosen when printing.
          if (marker.type?.startsWith('BLOCK')) text.type = marker.type;
          return text;
        },
      });

      const unused = Object.keys(entry).filter(name => !used.has(name));
      if (unused.length > 0) {
        throw new Error(
          `${STACKS_FILE}: ${entry.name} defines ${unused.join(
            ', ',
          )}, which ${BODY_FILE} never uses`,
        );
      }
      doc.commentBefore = index === 0 ? HEADER : null;
      doc.directives!.docStart = index === 0 ? null : true;
      return doc.toString({
        // Every scalar stays on one line, as the body writes it: folding a
        // long plain scalar over lines gives a layout Prettier rejects.
        lineWidth: 0,
        singleQuote: true,
        flowCollectionPadding: false,
      });
    })
    .join('');
}
