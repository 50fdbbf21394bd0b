// The e2e project alone (kept for tools that expect a separate config); `npm run test:e2e` uses it.
const root = require('../jest.config.js');

module.exports = {
  ...root.projects.find((project) => project.displayName === 'e2e'),
  reporters: root.reporters,
  testTimeout: root.testTimeout,
};
