// @swc/jest compiles TypeScript with decorator metadata (NestJS DI needs it) far faster than ts-jest.
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.integration-spec.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
  },
  // The mail catcher and the HubSpot emulator are workspace packages; their TypeScript source is used
  // directly so tests do not depend on them having been built.
  moduleNameMapper: {
    '^@ticket-portal/mail-catcher$': '<rootDir>/../e2e/mail-catcher/src/index.ts',
    '^@ticket-portal/hubspot-emulator$': '<rootDir>/../e2e/hubspot-emulator/src/index.ts',
  },
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 30000,
};
