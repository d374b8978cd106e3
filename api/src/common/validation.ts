import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError } from './errors/app-error';
import { ErrorCode } from './errors/error-code.enum';

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

function collect(errors: ValidationError[], prefix: string, into: Record<string, string>): void {
  for (const error of errors) {
    const path = error.property ? (prefix ? `${prefix}.${error.property}` : error.property) : prefix;
    const constraints = error.constraints ?? {};
    const keys = Object.keys(constraints);
    if (keys.includes('whitelistValidation')) {
      into[path || 'body'] = `"${path}" is not a field this request accepts; remove it.`;
    } else if (keys.includes('unknownValue') || !path) {
      into['body'] = 'Send a JSON object with the fields this request expects.';
    } else if (keys.length > 0) {
      // Decorators are declared most important first; the first message is the one to act on.
      into[path] = sentence(constraints[keys[0]!]!);
    }
    if (error.children && error.children.length > 0) collect(error.children, path, into);
  }
}

export function validationErrorToAppError(errors: ValidationError[]): AppError {
  const fields: Record<string, string> = {};
  collect(errors, '', fields);
  if (Object.keys(fields).length === 0) {
    fields['body'] = 'Send a JSON object with the fields this request expects.';
  }
  const message = Object.entries(fields)
    .map(([field, text]) => (field === 'body' ? text : `${field}: ${text}`))
    .join(' ');
  return new AppError(ErrorCode.VALIDATION_FAILED, message, { fields });
}

const MAX_DEPTH = 16;
const MAX_NODES = 5000;

// class-transformer and class-validator recurse; a body of 2,000 nested arrays would overflow the
// stack (a 500). Measured iteratively, before either of them sees the value.
export function assertReasonableShape(value: unknown): void {
  const stack: Array<[unknown, number]> = [[value, 0]];
  let nodes = 0;
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    nodes += 1;
    if (depth > MAX_DEPTH || nodes > MAX_NODES) {
      throw new AppError(
        ErrorCode.VALIDATION_FAILED,
        'The request body is nested too deeply or has too many parts. Send a flat JSON object with the documented fields.',
        { fields: { body: 'Send a flat JSON object with the documented fields.' } },
      );
    }
    if (current !== null && typeof current === 'object') {
      for (const child of Object.values(current as Record<string, unknown>)) stack.push([child, depth + 1]);
    }
  }
}

export function notAnObject(): AppError {
  const text = 'Send a JSON object with the fields this request expects.';
  return new AppError(ErrorCode.VALIDATION_FAILED, text, { fields: { body: text } });
}

class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') assertReasonableShape(value);
    if (metadata.type === 'body' && metadata.metatype && value !== undefined && value !== null) {
      if (typeof value !== 'object' || Array.isArray(value)) throw notAnObject();
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    // Report every bad field but only the first problem of each.
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: validationErrorToAppError,
  });
}
