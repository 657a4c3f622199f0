// The mock as a package user gets it: a new object with the core's handles (core.ts,
// handle.ts), the node:http listener and the Express router and app. Express is most of the
// mock's start-up time, so it is loaded on the first request that needs it: a mock that only
// serves /v1 (the bench, a supertest suite of the API) never loads it.
import type { Express } from 'express';
import type { RequestListener } from 'node:http';
import { createCore, type MockOptions } from './core';
import { handleOf, type MockHandle } from './handle';
import { createListener } from './surfaces/node';
import type { MockRouter } from './surfaces/express';

export { effectivePlans, type MockOptions } from './core';
export type { MockHandle } from './handle';

/** A mock with the handles tests and SDK suites drive it by (MockHandle), and its surfaces. */
export interface Mock extends MockHandle {
  /** The node:http listener: the API straight to `serve`, everything else through `app`. */
  handler: RequestListener;
  /**
   * For a host app: `app.use('/cortex', mock.router())`. A path it does not know calls
   * next(). The router, then an error handler that answers the host's body-parser errors
   * under the mount in the mock's JSON (Express passes errors to no mounted router).
   */
  router(): MockRouter;
  /** A standalone Express app: `router()`, then a 404 in the error shape for the rest. */
  readonly app: Express;
}

/** Creates a mock: the core plus its surfaces. */
export function createMock(options: MockOptions = {}): Mock {
  const core = createCore(options);
  const express = () => require('./surfaces/express') as typeof import('./surfaces/express');
  let app: Express | undefined;
  const standalone = () => (app ??= express().createStandaloneApp(core));
  const handler = createListener({ ...core, app: (req, res) => standalone()(req, res) });
  const router = () => express().createMockMount(core);
  return handleOf(core, {
    handler,
    router,
    // A getter, so reading the other handles never builds the Express app.
    get app() {
      return standalone();
    },
  });
}

/** Creates the mock's Express app (see createMock for the handles). */
export function createApp(options: MockOptions = {}): Express {
  return createMock(options).app;
}
