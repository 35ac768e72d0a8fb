/** Transpile only (isolatedModules in tsconfig.json): `npm test` type-checks once with `tsc --noEmit` first (see REFERENCE: 3x faster). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // the control-plane tests need built binaries and run apart: npm run test:cluster
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/cluster/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 120000,
};
