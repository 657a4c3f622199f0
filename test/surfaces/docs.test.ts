// The mock serves the document it runs on.
import request from 'supertest';
import { createApp } from '../../mock/app';
import { loadPublicSpec } from '../../lib/openapi/load-spec';
import { docsPreauthorizedKey } from '../../mock/surfaces/docs-key';
import { KEYS, testMock } from '../helpers/fixtures';

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

describe('the key /docs pre-authorizes', () => {
  it('is the admin test fixture when the config has it, and none without the default keys: init.js and the banner agree', async () => {
    const withDefaults = testMock();
    expect(docsPreauthorizedKey(withDefaults.config)).toBe(KEYS.admin);
    const init = await request(withDefaults.handler).get('/docs/init.js').expect(200);
    expect(init.text).toContain(`preauthorizeApiKey('bearerAuth', ${JSON.stringify(KEYS.admin)})`);
    const without = testMock({ config: { include_default_keys: false } });
    expect(docsPreauthorizedKey(without.config)).toBeUndefined();
    const bare = await request(without.handler).get('/docs/init.js').expect(200);
    expect(bare.text).not.toContain('preauthorizeApiKey');
  });
});
