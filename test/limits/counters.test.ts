// Counters under load, on the real clock: exactly N of N+k concurrent requests pass in
// each window, Remaining never goes negative, and one account's exhaustion never touches
// another's. (The fake-clock cases, to the millisecond, are in test/limits/rate-limit.)
import { request as httpRequest, Agent } from 'node:http';
import { KEYS } from '../helpers/fixtures';
import { withMockServer } from '../helpers/mock-server';

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function get(port: number, key: string): Promise<{ status: number; remaining: number; reset: number }> {
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path: '/v1/whoami', headers: { Authorization: `Bearer ${key}` }, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, remaining: Number(res.headers['x-ratelimit-remaining']), reset: Number(res.headers['x-ratelimit-reset']) }));
    })
      .on('error', reject)
      .end();
  });
}

afterAll(() => agent.destroy());

it.each([[10, 15], [50, 40], [200, 100]])('should pass exactly N=%i of N+%i concurrent requests per window on the real clock', async (n, k) => {
  await withMockServer({ config: { plans: { developer: { requests_per_window: n, window_seconds: 3600 }, vibe_coder: { requests_per_window: 1 } } } }, async (server) => {
    const [ours, other] = await Promise.all([
      Promise.all(Array.from({ length: n + k }, () => get(server.port, KEYS.read))),
      Promise.all(Array.from({ length: 1 }, () => get(server.port, KEYS.vibeCoderAdmin))),
    ]);
    // Group by window: a boundary may fall inside the burst; each window allows exactly N.
    const windows = new Map<number, typeof ours>();
    for (const r of ours) windows.set(r.reset, [...(windows.get(r.reset) ?? []), r]);
    for (const rs of windows.values()) {
      const passed = rs.filter((r) => r.status === 200).length;
      expect(passed).toBeLessThanOrEqual(n);
      if (rs.length >= n) expect(passed).toBe(n);
      expect(rs.filter((r) => r.status !== 200 && r.status !== 429)).toEqual([]);
    }
    for (const r of ours) expect(r.remaining).toBeGreaterThanOrEqual(0);
    expect(new Set(ours.filter((r) => r.status === 200).map((r) => `${r.reset}:${r.remaining}`)).size).toBe(ours.filter((r) => r.status === 200).length);
    expect(other.map((r) => r.status)).toEqual([200]);
  });
});
