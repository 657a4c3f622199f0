// Builds the mock's Express app from the OpenAPI document. It never listens: see server.ts.
import express, { type Express } from 'express';
import { readFileSync } from 'node:fs';
import { PUBLIC_SPEC_PATH, loadPublicSpec, type LoadedSpec } from './spec/load-spec';

export interface AppOptions {
  spec?: LoadedSpec;
}

/** Creates the mock app. */
export function createApp(options: AppOptions = {}): Express {
  const spec = options.spec ?? loadPublicSpec();
  const app = express();
  app.disable('x-powered-by');
  const specJson = JSON.stringify(spec.document);
  const specYaml = readFileSync(PUBLIC_SPEC_PATH, 'utf8');
  app.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(specJson);
  });
  app.get('/openapi.yaml', (_req, res) => {
    res.type('application/yaml').send(specYaml);
  });
  return app;
}
