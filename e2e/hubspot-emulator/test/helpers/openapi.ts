import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * HubSpot's published OpenAPI specs live outside the repo, in ../shared relative to its root;
 * HUBSPOT_OPENAPI_DIR points elsewhere (a checkout whose ../shared is not the reference's).
 */
export const SPEC_DIR =
  process.env.HUBSPOT_OPENAPI_DIR ??
  path.resolve(__dirname, '../../../../../shared/reference/hubspot-openapi');

type Json = Record<string, unknown>;
const specs = new Map<string, Json>();
const validators = new Map<string, ValidateFunction>();

function loadSpec(file: string): Json {
  let spec = specs.get(file);
  if (!spec) {
    const full = path.join(SPEC_DIR, file);
    if (!existsSync(full)) {
      throw new Error(
        `HubSpot OpenAPI spec ${full} is missing. The tests read HubSpot's specs from shared/reference/hubspot-openapi next to the repository.`,
      );
    }
    spec = JSON.parse(readFileSync(full, 'utf8')) as Json;
    specs.set(file, spec);
  }
  return spec;
}

/**
 * Documented differences between HubSpot's published schemas and what HubSpot really sends (see
 * docs/hubspot-emulator.md): property values may be null, v4 toObjectId/fromObjectId are JSON
 * numbers, unlabeled association labels are null, error subCategory is a string, an archived owner's userId is null. `oneOf` over message subtypes overlaps, so it is
 * checked as `anyOf`, and the subtypes' `allOf` back-reference to the union is dropped.
 */
function adapt(node: unknown, name?: string): unknown {
  if (Array.isArray(node)) return node.map((n) => adapt(n));
  if (!node || typeof node !== 'object') return node;
  const src = node as Json;
  const out: Json = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'example' || k.startsWith('x-')) continue;
    if (k === 'oneOf') out.anyOf = adapt(v);
    else if (k === 'allOf' && (v as Json[]).some((s) => s['x-hubspot-sub-type-impl'])) {
      out.allOf = (v as Json[]).filter((s) => !('$ref' in s)).map((s) => adapt(s));
    } else if (k === 'properties' && typeof v === 'object' && v) {
      const props: Json = {};
      for (const [pn, pv] of Object.entries(v as Json)) props[pn] = adapt(pv, pn);
      out.properties = props;
    } else out[k] = adapt(v);
  }
  if (
    name === 'properties' &&
    out.type === 'object' &&
    (out.additionalProperties as Json | undefined)?.type === 'string'
  ) {
    out.additionalProperties = { type: ['string', 'null'] };
  }
  if (name === 'label' && out.type === 'string') out.type = ['string', 'null'];
  if (name === 'subCategory' && out.type === 'object') out.type = ['string', 'object'];
  if (name === 'userId' && out.type === 'integer') out.type = ['integer', 'null'];
  if ((name === 'toObjectId' || name === 'fromObjectId') && out.type === 'string') {
    out.type = ['string', 'integer'];
  }
  return out;
}

function ajvFor(file: string): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  for (const f of ['int32', 'int64', 'double', 'float', 'binary', 'byte']) ajv.addFormat(f, true);
  const spec = loadSpec(file);
  const schemas = ((spec.components as Json).schemas ?? {}) as Json;
  ajv.addSchema({ $id: 'spec', components: { schemas: adapt(schemas) } });
  return ajv;
}

const ajvs = new Map<string, Ajv>();

/**
 * Validates a response body against the operation's response schema in HubSpot's spec file.
 * `pathTemplate` is the spec's path, e.g. '/crm/v3/objects/tickets/{ticketId}'.
 */
export function expectMatchesSpec(
  file: string,
  method: string,
  pathTemplate: string,
  status: number | 'default',
  body: unknown,
): void {
  const key = `${file} ${method} ${pathTemplate} ${status}`;
  let validate = validators.get(key);
  if (!validate) {
    const spec = loadSpec(file);
    const op = ((spec.paths as Json)[pathTemplate] as Json | undefined)?.[method.toLowerCase()] as
      Json | undefined;
    if (!op) throw new Error(`${file} has no ${method} ${pathTemplate}`);
    let response = (op.responses as Json)[String(status)] as Json | undefined;
    const responseRef = response?.$ref as string | undefined;
    if (responseRef) {
      response = (spec.components as Json).responses
        ? (((spec.components as Json).responses as Json)[responseRef.split('/').pop() ?? ''] as Json)
        : undefined;
    }
    if (!response) throw new Error(`${file} ${method} ${pathTemplate} documents no ${status} response`);
    const content = response.content as Json | undefined;
    const schema = ((content?.['application/json'] ?? content?.['*/*']) as Json | undefined)?.schema as
      Json | undefined;
    if (!schema) throw new Error(`${file} ${method} ${pathTemplate} ${status} has no JSON schema`);
    let ajv = ajvs.get(file);
    if (!ajv) {
      ajv = ajvFor(file);
      ajvs.set(file, ajv);
    }
    const ref = schema.$ref as string | undefined;
    validate = ajv.compile(ref ? { $ref: `spec${ref}` } : (adapt(schema) as Json));
    validators.set(key, validate);
  }
  if (!validate(body)) {
    throw new Error(
      `Response to ${method} ${pathTemplate} (${status}) does not match HubSpot's schema in ${file}:\n` +
        `${JSON.stringify(validate.errors, null, 2)}\nbody: ${JSON.stringify(body).slice(0, 2000)}`,
    );
  }
}
