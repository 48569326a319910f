// Two projects: unit tests are pure logic and need no broker; integration
// tests talk to the real Kafka broker that `make kafka-up` starts.
// swc strips types only; `tsc --noEmit` (make check) does the type checking.
const transform = { '^.+\\.ts$': ['@swc/jest'] };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { displayName: 'unit', testEnvironment: 'node', transform, testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    // Runs the built CLI (`make build` first); needs no broker.
    { displayName: 'cli', testEnvironment: 'node', transform, testMatch: ['<rootDir>/test/cli/**/*.test.ts'] },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      slowTestThreshold: 60,
    },
  ],
};
