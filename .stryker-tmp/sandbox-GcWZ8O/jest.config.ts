// @ts-nocheck
// Jest runs the project's own tests (test/) with ts-jest. faker ships ESM only, so it is
// transformed too (allowJs) instead of being ignored like the rest of node_modules.
import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', esModuleInterop: true }, diagnostics: false }],
  },
  // dist/ is compiled CommonJS already (the build's cached validators require from it); run
  // through ts-jest, its files would become inputs that their own .ts sources compile onto.
  transformIgnorePatterns: ['/node_modules/(?!@faker-js/faker/)', '<rootDir>/dist/'],
  testTimeout: 30_000,
};

export default config;
