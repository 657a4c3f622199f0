// The handle every way in returns: createMock's Mock and createMswHandlers' mock hold the
// same handles of a core (MockHandle), each a new object: the core is left as it was made.
import * as core from '../../mock/core';
import { createMock, type Mock, type MockHandle } from '../../mock/app';
import { createMswHandlers, type MswMock } from '../../mock/surfaces/msw';

// What the types promise: a Mock is a MockHandle, and so is MSW's mock.
const asHandle = (m: Mock | MswMock['mock']): MockHandle => m;

/** The cores createCore made while `run` ran. */
function coresMadeBy<T>(run: () => T): { result: T; cores: core.MockCore[] } {
  const made = jest.spyOn(core, 'createCore');
  try {
    const result = run();
    return { result, cores: made.mock.results.map((r) => r.value as core.MockCore) };
  } finally {
    made.mockRestore();
  }
}

describe('the mock handle', () => {
  it('createMock returns a new object holding the core handles, and leaves the core unchanged', () => {
    const { result: mock, cores } = coresMadeBy(() => createMock());
    expect(cores).toHaveLength(1);
    const [made] = cores;
    const before = Object.keys(made).sort();
    expect(mock).not.toBe(made);
    expect(Object.keys(made).sort()).toEqual(before);
    expect(made).not.toHaveProperty('handler');
    expect(made).not.toHaveProperty('app');
    for (const name of before) expect(mock[name as keyof Mock]).toBe(made[name as keyof core.MockCore]);
    expect(Object.keys(mock).sort()).toEqual([...before, 'app', 'handler', 'router'].sort());
  });

  it('builds no Express app while the other handles are read', () => {
    const mock = createMock();
    const app = Object.getOwnPropertyDescriptor(mock, 'app');
    expect(app?.get).toEqual(expect.any(Function));
    expect(app).not.toHaveProperty('value');
    const { handler, router, clock, state, journal } = mock;
    expect([handler, router, clock, state, journal].every((h) => h !== undefined)).toBe(true);
    expect(mock.app).toBe(mock.app);
  });

  it('createMswHandlers returns the same handles as createMock, less node:http and Express', () => {
    const { result: msw, cores } = coresMadeBy(() => createMswHandlers({ baseUrl: 'https://api.cortex-edr.com/v1' }));
    expect(cores).toHaveLength(1);
    expect(msw.mock).not.toBe(cores[0]);
    const mock = createMock();
    expect(Object.keys(asHandle(msw.mock)).sort()).toEqual(Object.keys(asHandle(mock)).filter((k) => !['app', 'handler', 'router'].includes(k)).sort());
    for (const name of Object.keys(cores[0])) expect(msw.mock[name as keyof MockHandle]).toBe(cores[0][name as keyof core.MockCore]);
  });
});
