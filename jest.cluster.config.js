/**
 * `npm run test:cluster`: end-to-end tests against a real control plane (test/cluster/README.md).
 * One control plane for the whole run (global setup/teardown); files run one at a time in band
 * because they share it and the machine has 2 cores.
 */
const os = require('os');
const path = require('path');

process.env.CDK8S_CLUSTER_STATE ??= path.join(os.tmpdir(), `cdk8s-workloads-cluster-${process.pid}.json`);

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/test/cluster/harness/global-setup.ts',
  globalTeardown: '<rootDir>/test/cluster/harness/global-teardown.ts',
  testTimeout: 300000,
  maxWorkers: 1,
  verbose: true,
};
