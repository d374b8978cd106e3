// Runs only the sync suites (unit + integration) with the api's Jest settings. The global setup is
// kept when it exists; the sync suites create their own database, so they do not need it.
const fs = require('node:fs');
const path = require('node:path');
const base = require('../../jest.config.cjs');

const root = path.resolve(__dirname, '../..');
const config = {
  ...base,
  rootDir: root,
  testMatch: ['<rootDir>/src/sync/**/*.spec.ts', '<rootDir>/test/sync/**/*.integration-spec.ts'],
};
if (!fs.existsSync(path.join(root, 'test/global-setup.ts'))) delete config.globalSetup;
module.exports = config;
