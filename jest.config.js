// One Jest run, two projects: unit specs beside the code, and e2e specs under test/ that run the real app
// against the embedded engine and the devnet. `npm test` runs both and ends with one plain summary line.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const shared = {
  rootDir: __dirname,
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testEnvironment: 'node',
};

module.exports = {
  // E2e suites start engines, devnets and service processes; unit specs finish far below this.
  testTimeout: 120000,
  // A JUnit report as well (reports/junit.xml), for CI systems that read test results from a file.
  reporters: [
    'default',
    ['jest-junit', { outputDirectory: '<rootDir>/reports', outputName: 'junit.xml', addFileAttribute: 'true' }],
    '<rootDir>/test/support/summary-reporter.js',
  ],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools'],
      testRegex: '.*\\.spec\\.ts$',
    },
    { ...shared, displayName: 'e2e', roots: ['<rootDir>/test'], testRegex: '.*\\.e2e-spec\\.ts$' },
  ],
};
