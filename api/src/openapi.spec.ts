import { buildOpenApiDocument } from './openapi';

describe(buildOpenApiDocument.name, () => {
  it('should describe every account route with its DTOs without touching MySQL or Redis', async () => {
    const document = await buildOpenApiDocument();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/register',
        '/api/v1/auth/confirm',
        '/api/v1/auth/confirm/resend',
        '/api/v1/auth/login',
        '/api/v1/auth/site-token',
        '/api/v1/auth/logout',
        '/api/v1/auth/password/forgot',
        '/api/v1/auth/password/reset',
        '/api/v1/me',
        '/api/v1/health',
      ]),
    );
    const schemas = document.components?.schemas ?? {};
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining([
        'RegisterDto',
        'LoginDto',
        'SiteTokenDto',
        'LoginResponseDto',
        'CustomerDto',
        'ResetPasswordDto',
      ]),
    );
    expect(JSON.stringify(schemas['LoginResponseDto'])).toContain('accessToken');
  });
});
