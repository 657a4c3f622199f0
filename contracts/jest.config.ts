// Jest config of the contract suites: run in band, in file order (the rate-limit suite that
// may exhaust the account goes last), with JUnit XML for CI and a results file that names
// each failed check.
import type { Config } from 'jest';
import { join } from 'node:path';

const reportDir = process.env.CONTRACT_REPORT_DIR ?? join(process.cwd(), 'reports', 'contract');

const config: Config = {
  rootDir: join(__dirname, '..'),
  roots: ['<rootDir>/contracts/suites'],
  testMatch: ['**/*.contract.ts'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testSequencer: '<rootDir>/contracts/lib/sequencer.js',
  testTimeout: 120_000,
  reporters: [
    'default',
    ['jest-junit', { outputDirectory: reportDir, outputName: 'junit.xml', suiteName: 'CortexEDR contract', classNameTemplate: '{classname}', titleTemplate: '{title}' }],
    ['<rootDir>/contracts/lib/results-reporter.js', { reportDir }],
  ],
};

export default config;
