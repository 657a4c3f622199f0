// lib/paths.ts for the browser build of the MSW handlers: the package root is where the
// embedded documents are named (browser/fs.ts), since a page has no folders to search.
export const PACKAGE_ROOT = '/cortex-edr-mock';
export const SPEC_DIR = `${PACKAGE_ROOT}/openapi`;
