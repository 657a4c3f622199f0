// The in-process suites StrykerJS runs against each mutant of mock/domain/auth,
// mock/domain/limits, mock/stages, mock/domain/resources, faults and conduct (npm run mutate; they were
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
  // By folder of test/ (a folder named whole runs all its suites). Not run against mutants,
  // as before the tests were regrouped: test/cli, test/http's admission, listener,
  // server-limits and start-mock-server, test/control/control-contract,
  // test/config/config-input, test/validation/fuzz and test/surfaces/docs-framing; nor
  // test/surfaces/browser-build, which reads the bundle in dist/ (not in the sandbox: the
  // dry run stopped at ENOENT dist/browser/msw.mjs) and tests mock/browser, which is not mutated.
  testMatch: [
    '**/test/auth/*.test.ts',
    '**/test/limits/*.test.ts',
    '**/test/stages/*.test.ts',
    '**/test/validation/validation-edges.test.ts',
    '**/test/resources/*.test.ts',
    '**/test/control/{control-api,control-plane}.test.ts',
    '**/test/redaction/*.test.ts',
    '**/test/config/config.test.ts',
    '**/test/http/http-edges.test.ts',
    '**/test/surfaces/{behaviour,docs,express-host,host-advice}.test.ts',
    '**/test/lib/*.test.ts',
    '**/test/bench/bounded-state.test.ts',
    '**/test/spec/examples.test.ts',
    '**/test/faults/*.test.ts',
    // The conduct watch's own suites (mock/domain/conduct), over real HTTPS too (tls.test.ts).
    '**/test/conduct/*.test.ts',
    // Not dashboard-signing (a browser).
    '**/test/signing/{rfc9421-vectors,signing,surfaces,control-keys,replay-cache,library-crosscheck}.test.ts',
  ],
};

export default config;
