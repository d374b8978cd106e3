import { type ObjectType } from './constants';
import {
  badRequest,
  HubSpotError,
  invalidProperties,
  propertyProblem,
  type PropertyValidationError,
} from './errors';
import { iso, type CrmRecord, type Store } from './store';

/**
 * Checks and normalises a `properties` object from a create or update request the way HubSpot
 * does: unknown and read-only properties are errors, values become strings, dates become ISO-8601
 * with milliseconds, enumerations must be one of the options, and "" clears a value.
 */
export function normaliseProperties(
  store: Store,
  type: ObjectType,
  input: unknown,
  existing?: CrmRecord,
): Record<string, string> {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw badRequest('Invalid input JSON: "properties" must be an object of property name to string value.');
  }
  const out: Record<string, string> = {};
  const problems: PropertyValidationError[] = [];
  for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
    const def = store.propertyDef(type, name);
    if (!def) {
      problems.push(propertyProblem(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`));
      continue;
    }
    if (def.readOnly) {
      problems.push(
        propertyProblem(
          name,
          'READ_ONLY_VALUE',
          `"${name}" is a read only property; its value cannot be set.`,
        ),
      );
      continue;
    }
    if (raw !== null && typeof raw === 'object') {
      problems.push(
        propertyProblem(
          name,
          'INVALID_VALUE',
          `${JSON.stringify(raw)} is not a valid value for "${name}": send a string.`,
        ),
      );
      continue;
    }
    const value = raw === null || raw === undefined ? '' : scalar(raw);
    if (value === '') {
      out[name] = '';
      continue;
    }
    switch (def.type) {
      case 'datetime':
      case 'date': {
        const ms = /^-?\d+$/.test(value) ? Number(value) : Date.parse(value);
        if (!Number.isFinite(ms)) {
          problems.push(
            propertyProblem(
              name,
              'INVALID_DATE',
              `${value} is not a valid date for "${name}": send ISO-8601 or epoch milliseconds.`,
            ),
          );
          continue;
        }
        out[name] = def.type === 'date' ? iso(ms).slice(0, 10) : iso(ms);
        break;
      }
      case 'number':
        if (!Number.isFinite(Number(value))) {
          problems.push(propertyProblem(name, 'INVALID_DECIMAL', `${value} was not a valid number.`));
          continue;
        }
        out[name] = value;
        break;
      case 'bool':
        if (value !== 'true' && value !== 'false') {
          problems.push(
            propertyProblem(
              name,
              'INVALID_BOOLEAN',
              `${value} was not a valid boolean: send "true" or "false".`,
            ),
          );
          continue;
        }
        out[name] = value;
        break;
      case 'enumeration': {
        if (!def.externalOptions) {
          const allowed = def.options.map((o) => o.value);
          const values = def.fieldType === 'checkbox' ? value.split(';') : [value];
          const bad = values.find((v) => !allowed.includes(v));
          if (bad !== undefined) {
            problems.push(
              propertyProblem(
                name,
                'INVALID_OPTION',
                `${bad} was not one of the allowed options: [${allowed.join(', ')}]`,
              ),
            );
            continue;
          }
        }
        out[name] = value;
        break;
      }
      case 'string':
        out[name] = value;
        break;
    }
  }
  checkReferences(store, type, out, existing, problems);
  if (problems.length > 0) throw invalidProperties(problems);
  return out;
}

function checkReferences(
  store: Store,
  type: ObjectType,
  out: Record<string, string>,
  existing: CrmRecord | undefined,
  problems: PropertyValidationError[],
): void {
  const owner = out.hubspot_owner_id;
  if (owner && !store.owner(owner)) {
    problems.push(
      propertyProblem('hubspot_owner_id', 'INVALID_OWNER_ID', `${owner} is not a valid owner id.`),
    );
  }
  const attachments = out.hs_attachment_ids;
  if (attachments) {
    const ids = attachments.split(';').map((id) => id.trim());
    const bad = ids.filter((id) => !/^\d+$/.test(id) || !store.files.get(id));
    if (bad.length > 0) {
      problems.push(
        propertyProblem(
          'hs_attachment_ids',
          'INVALID_OPTION',
          `hs_attachment_ids must list ids of existing files separated by ";"; not files: ${bad.join(', ')}.`,
        ),
      );
    } else {
      out.hs_attachment_ids = ids.join(';');
    }
  }
  // HubSpot refuses a contact whose email is not an address it could send to (INVALID_EMAIL).
  if (type === 'contacts' && out.email && !/^[^\s@]+@([^\s@.]+\.)+[^\s@.]{2,}$/.test(out.email)) {
    problems.push(propertyProblem('email', 'INVALID_EMAIL', `Email address ${out.email} is invalid`));
  }
  if (type !== 'tickets') return;
  const pipelineId = out.hs_pipeline || existing?.props.hs_pipeline || '0';
  const pipeline = store.pipeline(pipelineId);
  if (!pipeline) {
    problems.push(
      propertyProblem('hs_pipeline', 'INVALID_OPTION', `${pipelineId} is not a valid pipeline id.`),
    );
    return;
  }
  const stageId = out.hs_pipeline_stage;
  if (stageId !== undefined && stageId !== '' && !store.stage(pipelineId, stageId)) {
    problems.push(
      propertyProblem(
        'hs_pipeline_stage',
        'INVALID_OPTION',
        `${stageId} was not one of the allowed options: [${pipeline.stages.map((s) => s.id).join(', ')}]`,
      ),
    );
  }
  if (
    out.hs_pipeline &&
    stageId === undefined &&
    existing &&
    !store.stage(pipelineId, existing.props.hs_pipeline_stage ?? '')
  ) {
    problems.push(
      propertyProblem(
        'hs_pipeline_stage',
        'REQUIRED',
        'Changing hs_pipeline needs a hs_pipeline_stage of that pipeline.',
      ),
    );
  }
  if (stageId === '') {
    problems.push(propertyProblem('hs_pipeline_stage', 'REQUIRED', 'hs_pipeline_stage cannot be cleared.'));
  }
}

/** String form of a JSON scalar (objects were rejected before). */
function scalar(v: unknown): string {
  return typeof v === 'string'
    ? v
    : typeof v === 'number' || typeof v === 'boolean'
      ? String(v)
      : JSON.stringify(v);
}

/** Unique-value properties (custom, hasUniqueValue) refuse a value another record holds: 409. */
export function checkUniqueValues(
  store: Store,
  type: ObjectType,
  props: Record<string, string>,
  self?: CrmRecord,
): void {
  for (const [name, value] of Object.entries(props)) {
    if (value === '' || !store.propertyDef(type, name)?.hasUniqueValue) continue;
    const other = store.findByUniqueValue(type, name, value);
    if (other && other !== self) {
      throw new HubSpotError(
        409,
        'CONFLICT',
        `A ${type.replace(/s$/, '')} with ${name} "${value}" already exists. Existing ID: ${other.id}`,
        {
          context: { id: [other.id], propertyName: [name] },
        },
      );
    }
  }
}
