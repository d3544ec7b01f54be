import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface OpenApiParameter {
  name: string;
  in: 'query' | 'path' | 'header';
  required: boolean;
  enum?: string[];
}

export interface OpenApiOperation {
  /** As written in the spec, e.g. `/v1/survey/campaigns/{campaignId}/open`. */
  path: string;
  method: 'get' | 'post' | 'put' | 'delete' | 'patch';
  operationId: string;
  parameters: OpenApiParameter[];
  /** Media types of the request body, if it has one. */
  requestContentTypes: string[];
}

const SPEC_FILE = path.resolve(__dirname, '../../schema/openapi.yaml');
const METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const;

/**
 * Every operation of the plugin's OpenAPI spec, read from the YAML file itself
 * so that tests sweeping the API pick up a new endpoint without being edited.
 */
export function openApiOperations(): OpenApiOperation[] {
  const spec = parse(fs.readFileSync(SPEC_FILE, 'utf8'));
  const resolve = (value: any): any => {
    if (value && typeof value.$ref === 'string') {
      const pointer = value.$ref.replace(/^#\//, '').split('/');
      return pointer.reduce((node: any, key: string) => node[key], spec);
    }
    return value;
  };
  const operations: OpenApiOperation[] = [];
  for (const [specPath, item] of Object.entries<any>(spec.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operations.push({
        path: specPath,
        method,
        operationId: operation.operationId,
        parameters: (operation.parameters ?? []).map((raw: unknown) => {
          const parameter = resolve(raw);
          return {
            name: parameter.name,
            in: parameter.in,
            required: Boolean(parameter.required),
            enum: parameter.schema?.enum,
          };
        }),
        requestContentTypes: Object.keys(
          resolve(operation.requestBody)?.content ?? {},
        ),
      });
    }
  }
  return operations;
}

/** The operation's path with its path parameters filled in. */
export function concretePath(
  operation: OpenApiOperation,
  values: Record<string, string>,
): string {
  return operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new Error(`No value for path parameter ${name}`);
    }
    return encodeURIComponent(value);
  });
}
