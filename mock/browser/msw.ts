// The browser entry of `cortex-edr-mock/msw` (package.json exports, condition "browser"),
// bundled by scripts/build-browser.mjs with node's modules swapped for the files beside this
// one. Buffer comes first: the core's modules use it.
import './buffer';

export { createMswHandlers, type MockHandle, type MswMock, type MswOptions } from '../surfaces/msw';
