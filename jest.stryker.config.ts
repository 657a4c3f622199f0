// The in-process suites StrykerJS runs against each mutant of mock/domain/auth,
// mock/domain/limits, mock/stages and mock/domain/resources (npm run mutate; they were
// mock/auth, mock/rate-limit, mock/pipeline and mock/resources before the layering). Suites that run the compiled dist/
// (the CLI, the packed package, the contract harness's child processes) or a browser
// cannot see a mutant of the sources, so they are left out.
import type { Config } from 'jest';
import base from './jest.config';

const config: Config = {
  ...base,
  // Transpile only (isolatedModules): the TypeScript checker already rejects mutants that
  // do not compile, so each worker need not type-check the sandbox again.
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', esModuleInterop: true, isolatedModules: true }, diagnostics: false }],
  },
  roots: ['<rootDir>/test'],
  testMatch: [
    '**/test/mock/{auth-matrix,config,control-api,determinism,forced-outcome,logging,rate-limit,resources,docs,spec-driven,seeded-golden}.test.ts',
    '**/test/surfaces/*.test.ts',
    '**/test/hostile/{auth-flood,control-plane,http-edges,redaction,secrets,counters}.test.ts',
    '**/test/lib/*.test.ts',
    '**/test/mutation/*.test.ts',
    '**/test/bench/bounded-state.test.ts',
    '**/test/spec/examples.test.ts',
    '**/test/faults/*.test.ts',
    '**/test/limits/*.test.ts',
  ],
};

export default config;
