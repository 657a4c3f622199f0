// @ts-nocheck
// The mock serves the document it runs on.
import request from 'supertest';
import { createApp } from '../../mock/app';
import { loadPublicSpec } from '../../lib/openapi/load-spec';

describe('spec endpoints', () => {
  const app = createApp();

  it('serves the spec as JSON at /openapi.json', async () => {
    const res = await request(app).get('/openapi.json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(loadPublicSpec().document)));
  });

  it('serves the spec as YAML at /openapi.yaml', async () => {
    const res = await request(app).get('/openapi.yaml').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/yaml/);
    expect(res.text).toMatch(/^openapi: 3\.1\./);
  });
});
