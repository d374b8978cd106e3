import { type ArgumentMetadata } from '@nestjs/common';
import { AppError } from './errors/app-error';
import { ErrorCode } from './errors/error-code.enum';
import { assertReasonableShape, createValidationPipe } from './validation';
import { LoginDto } from '../auth/dto/auth.dto';

const body: ArgumentMetadata = { type: 'body', metatype: LoginDto };

async function failure(value: unknown): Promise<AppError> {
  try {
    await createValidationPipe().transform(value, body);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('createValidationPipe', () => {
  it('should normalise the email and keep the typed fields when the body is valid', async () => {
    const dto = (await createValidationPipe().transform(
      { email: '  Alex@Example.COM ', password: 'whatever-it-is', remember: true },
      body,
    )) as LoginDto;
    expect(dto).toBeInstanceOf(LoginDto);
    expect(dto.email).toBe('alex@example.com');
    expect(dto.remember).toBe(true);
  });

  it('should name each bad field once, in plain words', async () => {
    const error = await failure({ email: 'nope', extra: 1 });
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.options.fields).toEqual({
      email: 'Enter a valid email address, like name@example.com.',
      password: 'Enter your password as text.',
      extra: '"extra" is not a field this request accepts; remove it.',
    });
  });

  it('should ask for a JSON object when the body is an array or a primitive', async () => {
    expect((await failure([1, 2])).options.fields).toEqual({
      body: 'Send a JSON object with the fields this request expects.',
    });
    expect((await failure('text')).code).toBe(ErrorCode.VALIDATION_FAILED);
  });
});

describe(assertReasonableShape.name, () => {
  it('should refuse deeply nested values without recursing', () => {
    let nested: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) nested = [nested];
    expect(() => assertReasonableShape(nested)).toThrow(AppError);
  });

  it('should accept ordinary request bodies', () => {
    expect(() =>
      assertReasonableShape({ email: 'a@example.com', tags: ['a', 'b'], meta: { x: 1 } }),
    ).not.toThrow();
  });
});
