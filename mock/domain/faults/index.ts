// Faults on demand (issue 22): the rule model, its checks, the registry that decides which
// rule shapes a request, and the spec's tables of budgets and surfaces. Pure: no HTTP and no
// node-only module, so the browser build of the MSW handlers can carry it.
export * from './rule';
export * from './prng';
export * from './check-rule';
export * from './spec-tables';
export * from './registry';
