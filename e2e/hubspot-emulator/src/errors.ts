import { randomUUID } from 'node:crypto';

/** HubSpot's error body: `{status:"error", message, correlationId, category, errors?, context?}`. */
export interface HubSpotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category: string;
  subCategory?: string;
  errors?: { message: string; code?: string; context?: Record<string, string[]> }[];
  context?: Record<string, string[]>;
  [extra: string]: unknown;
}

/** Thrown by handlers; the router turns it into HubSpot's JSON error body with this status. */
export class HubSpotError extends Error {
  constructor(
    readonly status: number,
    readonly category: string,
    message: string,
    readonly extra: Partial<HubSpotErrorBody> = {},
  ) {
    super(message);
  }

  toBody(): HubSpotErrorBody {
    return {
      status: 'error',
      message: this.message,
      correlationId: randomUUID(),
      category: this.category,
      ...this.extra,
    };
  }
}

export const badRequest = (message: string, extra: Partial<HubSpotErrorBody> = {}): HubSpotError =>
  new HubSpotError(400, 'VALIDATION_ERROR', message, extra);

export const notFound = (message = 'resource not found'): HubSpotError =>
  new HubSpotError(404, 'OBJECT_NOT_FOUND', message);

export interface PropertyValidationError {
  isValid: false;
  message: string;
  error: string;
  name: string;
  localizedErrorMessage: string;
}

/** HubSpot reports bad property values as one 400 with a JSON list inside the message. */
export const invalidProperties = (problems: PropertyValidationError[]): HubSpotError =>
  new HubSpotError(400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(problems)}`, {
    errors: problems.map((p) => ({
      message: p.message,
      code: p.error,
      context: { propertyName: [p.name] },
    })),
  });

export const propertyProblem = (name: string, error: string, message: string): PropertyValidationError => ({
  isValid: false,
  message,
  error,
  name,
  localizedErrorMessage: message,
});

/** One entry of a 207 multi-status `errors` list (HubSpot's StandardError). */
export function standardError(
  category: string,
  message: string,
  context: Record<string, string[]>,
  subCategory?: string,
): Record<string, unknown> {
  return {
    status: 'error',
    category,
    ...(subCategory ? { subCategory } : {}),
    message,
    context,
    errors: [],
    links: {},
  };
}
