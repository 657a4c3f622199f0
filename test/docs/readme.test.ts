// The README is a front page (issue 21): short, with what a newcomer needs first, and the
// rest in docs/. Its well-known keys table is what the mock answers at GET /_mock/keys.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { PACKAGE_ROOT } from '../../lib/paths';
import { specStatus } from '../helpers/expect-response';
import { SPEC, testMock } from '../helpers/fixtures';

const README = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');

/** The README's lines, as `wc -l` counts them. */
const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** The body of the section under `## title`, up to the next `## ` heading. */
function section(text: string, title: string): string {
  const start = text.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`no section "## ${title}"`);
  const next = text.indexOf('\n## ', start + 1);
  return text.slice(start, next < 0 ? undefined : next);
}

/** The rows of the first Markdown table in `text`, header and rule left out, cells trimmed. */
function tableRows(text: string): string[][] {
  const lines = text.split('\n').filter((l) => l.startsWith('|'));
  return lines.slice(2).map((l) => l.slice(1, -1).split('|').map((c) => c.trim()));
}

describe('the README', () => {
  it('is a front page of at most 250 lines', () => {
    expect(lineCount(README)).toBeLessThanOrEqual(250);
  });

  it('counts lines as wc -l does, so a README over the limit fails', () => {
    expect(lineCount('a\nb\n')).toBe(2);
    expect(lineCount(`${'line\n'.repeat(251)}`)).toBeGreaterThan(250);
  });

  it.each(['Two commands', 'The first five minutes', 'Well-known test keys', 'Three ways in', 'Documentation'])('has the section "%s"', (title) => {
    expect(section(README, title).length).toBeGreaterThan(0);
  });

  it('shows the two commands that package.json runs', () => {
    const scripts = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(Object.keys(scripts)).toEqual(expect.arrayContaining(['start', 'test']));
    const commands = section(README, 'Two commands');
    expect(commands).toContain('npm ci && npm start');
    expect(commands).toContain('npm test');
  });

  it('shows the three ways in, each with the example the package test compiles and runs', () => {
    const ways = section(README, 'Three ways in');
    for (const name of ['in-process', 'express-mount', 'msw']) expect(ways).toMatch(new RegExp(`<!-- example: ${name} -->\\n\`\`\`ts\\n`));
    expect(ways).toContain('startMockServer');
    expect(ways).toContain('mock.router()');
    expect(ways).toContain("from 'cortex-edr-mock/msw'");
  });

  it('links every document in docs/ from its Documentation list', () => {
    const docs = readdirSync(join(PACKAGE_ROOT, 'docs')).filter((f) => f.endsWith('.md'));
    const list = section(README, 'Documentation');
    expect(docs.filter((f) => !list.includes(`docs/${f}`))).toEqual([]);
  });
});

describe("the README's well-known test keys", () => {
  const rows = tableRows(section(README, 'Well-known test keys'));

  it('lists every key of the default configuration with the permissions, plan and state GET /_mock/keys gives', async () => {
    const res = await request(testMock().app).get('/_mock/keys').expect(specStatus(200));
    const keys = res.body.data as Array<{ key: string; permissions: string[]; plan: string; state: string }>;
    // Each plan other than the shared developer plan is shown with its limit, from the spec.
    const planCell = (id: string) => {
      const plan = SPEC.plans.find((p) => p.id === id)!;
      return id === 'developer' ? id : `${id} (${plan.requests_per_window}/${plan.window_seconds === 60 ? 'min' : `${plan.window_seconds}s`})`;
    };
    const stateCell = (state: string) => (state === 'refused' ? 'refused unless `allow_live_keys`' : state);
    const expected = keys.map((k) => [`\`${k.key}\``, k.permissions.join(', ') || '(none)', planCell(k.plan), stateCell(k.state)]);
    expect([...rows].sort()).toEqual([...expected].sort());
  });
});
