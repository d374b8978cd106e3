// Generates the widget's wire types from the API's OpenAPI document (built from the NestJS DTOs), and
// checks that the committed copy is current. The API's DTOs are the single source of the contract.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';

interface Schema {
  type?: string;
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  description?: string;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { requestBody?: unknown; responses?: Record<string, unknown> }>>;
  components?: { schemas?: Record<string, Schema> };
}

export const GENERATED_FILE = 'widget/src/api/openapi.generated.ts';

function typeOf(schema: Schema): string {
  let t: string;
  if (schema.$ref) t = schema.$ref.replace('#/components/schemas/', '');
  else if (schema.allOf) t = schema.allOf.map(typeOf).join(' & ');
  else if (schema.oneOf ?? schema.anyOf) t = (schema.oneOf ?? schema.anyOf)!.map(typeOf).join(' | ');
  else if (schema.enum) t = schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  else if (schema.type === 'array') t = `Array<${schema.items ? typeOf(schema.items) : 'unknown'}>`;
  else if (schema.type === 'object' || schema.properties) t = objectType(schema);
  else if (schema.type === 'integer' || schema.type === 'number') t = 'number';
  else if (schema.type === 'string' || schema.type === 'boolean') t = schema.type;
  else t = 'unknown';
  return schema.nullable ? `${t} | null` : t;
}

function objectType(schema: Schema): string {
  const required = new Set(schema.required ?? []);
  const props = Object.entries(schema.properties ?? {}).map(([name, prop]) => {
    const doc = prop.description ? `/** ${prop.description.replace(/\*\//g, '* /')} */\n` : '';
    const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
    return `${doc}${key}${required.has(name) ? '' : '?'}: ${typeOf(prop)};`;
  });
  if (schema.additionalProperties) {
    const value = schema.additionalProperties === true ? 'unknown' : typeOf(schema.additionalProperties);
    props.push(`[key: string]: ${value};`);
  }
  return `{\n${props.join('\n')}\n}`;
}

export async function renderOpenApiTypes(root: string, doc: OpenApiDocument): Promise<string> {
  const schemas = Object.entries(doc.components?.schemas ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const operations = Object.entries(doc.paths)
    .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
  const source = [
    "// Generated from the API's OpenAPI document by `npm run openapi:types`. Do not edit by hand:",
    "// change the API's DTOs, then regenerate. `npm test` fails when this file is stale.",
    '',
    ...schemas.map(([name, schema]) => `export interface ${name} ${objectType(schema)}\n`),
    `export const API_OPERATIONS = ${JSON.stringify(operations)} as const;`,
    '',
    'export type ApiOperation = (typeof API_OPERATIONS)[number];',
    '',
  ].join('\n');
  const options = (await resolveConfig(join(root, GENERATED_FILE))) ?? {};
  return format(source, { ...options, parser: 'typescript' });
}

export async function loadApiDocument(root: string): Promise<OpenApiDocument> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const api = require(join(root, 'api/dist/openapi.js')) as {
    buildOpenApiDocument(): Promise<OpenApiDocument>;
  };
  return api.buildOpenApiDocument();
}

/** Writes the file (mode 'write') or returns an error message when it differs (mode 'check'). */
export async function syncOpenApiTypes(root: string, mode: 'write' | 'check'): Promise<string | null> {
  const rendered = await renderOpenApiTypes(root, await loadApiDocument(root));
  const file = join(root, GENERATED_FILE);
  if (mode === 'write') {
    writeFileSync(file, rendered);
    return null;
  }
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // missing: reported below
  }
  return current === rendered
    ? null
    : `${GENERATED_FILE} is stale: the API's OpenAPI document changed. Run \`npm run openapi:types\` and commit the result.`;
}
