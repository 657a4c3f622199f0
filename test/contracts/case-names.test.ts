// The names of the harness's cases read as sentences: they are made from role and reason
// names in contracts/, so the article before each comes from the word it precedes.
import { createHarness } from '../../contracts/lib/harness';
import { createTransport } from '../../contracts/lib/http';
import { SUITES } from '../../contracts/suites';

it('names every case with the article its word takes ("an admin key", "an unknown key")', () => {
  const transport = createTransport();
  const keys = { read: 'sk_test_r', write: 'sk_test_w', admin: 'sk_test_a', noPerm: 'sk_test_n', expired: 'sk_test_e', revoked: 'sk_test_v' };
  const harness = createHarness(
    { baseUrl: 'http://127.0.0.1:9/v1', target: 'mock', keys, allowWrites: true, allowExhaust: true, allowLive: false, preferCodes: true, timeoutMs: 100, deadline: Date.now() + 60_000, maxResponseBytes: 1000, reportDir: '/tmp', generate: { seed: 1, examples: 1 } },
    transport,
    async () => undefined,
  );
  for (const [name, suite] of SUITES) harness.suite(name, () => suite.register(harness));
  transport.close();
  const names = harness.cases.map((c) => c.name);
  expect(names.filter((n) => /\ban? admin key\b/.test(n)).length).toBeGreaterThan(0);
  // "a user" is right: a u sounded as "you" (u, a consonant, a vowel) takes "a".
  expect(names.filter((n) => /\ba (?!u[^aeiou\s][aeiou])[aeiou]/i.test(n))).toEqual([]);
  expect(names).toContain('getWhoami › answers 401 (unknown) with error="invalid_token" to an unknown key');
});
