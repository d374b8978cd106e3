// Two Jest projects, so a newcomer can run one module at a time:
// - unit:        src/**/*.spec.ts — no MariaDB (a few specs use Redis on TEST_REDIS_URL);
//                `npx jest src/hubspot` runs these alone.
// - integration: test/**/*.integration-spec.ts — real MariaDB, Redis, SMTP catcher and the emulator;
//                the global setup creates and migrates a database of the run's own
//                (<TEST_DATABASE_URL's name>_<run id>) and picks its Redis key prefix (QUEUE_PREFIX
//                tpt<run id>), only when an integration spec is selected; the teardown drops both.
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

// jose (site-token sign-in) and file-type (attachments' content sniffing, with its dependencies) ship
// ES modules only. Node (>= 20.19) requires them natively, but Jest's module system does not before
// Node 24.9, so these few packages are compiled to CommonJS like our sources; everything else in
// node_modules is left alone.
const swcEsm = { ...swc, jsc: { ...swc.jsc, parser: { syntax: 'ecmascript' } } };
const ESM_ONLY = [
  'jose',
  'file-type',
  'strtok3',
  'token-types',
  '@tokenizer/inflate',
  'uint8array-extras',
  '@borewit/text-codec',
].join('|');

const shared = {
  testEnvironment: 'node',
  rootDir: __dirname,
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
    [`/node_modules/(${ESM_ONLY})/.+\\.js$`]: ['@swc/jest', swcEsm],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY})/)`],
  // The mail catcher and the HubSpot emulator are workspace packages; their TypeScript source is used
  // directly so tests do not depend on them having been built.
  moduleNameMapper: {
    '^@ticket-portal/mail-catcher$': '<rootDir>/../e2e/mail-catcher/src/index.ts',
    '^@ticket-portal/hubspot-emulator$': '<rootDir>/../e2e/hubspot-emulator/src/index.ts',
  },
};

module.exports = {
  testTimeout: 30000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.integration-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
