// The build's start-up caches (lib/openapi/precompiled.ts): the spec and default config as
// JSON, and the request and config validators compiled to code. A cached validator must
// answer exactly as one compiled at run time, and an edited input must miss the cache.
import { existsSync, readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { CONFIG_AJV_OPTIONS, DEFAULT_CONFIG_PATH, buildConfig, compileConfigSchema, configSchema } from '../../mock/config/config';
import { PUBLIC_SPEC_PATH, loadPublicSpec, readSpecFile } from '../../lib/openapi/load-spec';
import { loadValidatorModule, parseYaml, validatorCacheFile, yamlCacheFile } from '../../lib/openapi/precompiled';
import { createSchemaValidator } from '../../lib/openapi/schema-validator';

const spec = loadPublicSpec();
const requestPointers = [
  ...new Set(spec.operations.flatMap((op) => [...op.parameters.map((p) => p.schemaPointer), ...(op.requestBody ? [op.requestBody.schemaPointer] : [])])),
];

// Values of every JSON type and the edges the spec's request schemas draw.
const SAMPLES: unknown[] = [
  null, true, -1, 0, 1, 1.5, 100, 101, 1e9, '', 'x', 'a'.repeat(300), 'scan_0123456789abcdef', 'not a date', '2026-11-01T09:00:00Z',
  [], ['read'], ['read', 'read'], ['root'], {}, { target: 'ws-1.corp.example', scan_type: 'quick' }, { target: 'h', scan_type: 'bogus' },
  { target: 5, scan_type: 'quick' }, { target: 'h', scan_type: 'quick', extra: 1 }, { name: 'CI', permissions: ['read'] },
  { name: 'CI', permissions: ['read'], expires_at: 'tomorrow' }, { email: 'a@example.com', role: 'analyst', name: 'A' }, { email: 'nope' },
];

describe('the build caches', () => {
  it('parses the spec from its JSON copy to the same document js-yaml gives', () => {
    const text = readFileSync(PUBLIC_SPEC_PATH, 'utf8');
    expect(existsSync(yamlCacheFile(text))).toBe(true);
    expect(parseYaml(text)).toEqual(load(text));
    expect(readSpecFile(PUBLIC_SPEC_PATH)).toEqual(load(text));
  });

  it('parses edited YAML itself, since its hash has no cached copy', () => {
    const text = `${readFileSync(DEFAULT_CONFIG_PATH, 'utf8')}\n# edited\n`;
    expect(existsSync(yamlCacheFile(text))).toBe(false);
    expect(parseYaml(text)).toEqual(load(text));
  });

  it('compiled every request validator of the public spec', () => {
    const validator = createSchemaValidator(spec.document);
    expect(requestPointers.length).toBeGreaterThan(10);
    expect(requestPointers.filter((p) => !validator.isPrecompiled(p))).toEqual([]);
  });

  it('answers every sample exactly as a validator compiled at run time', () => {
    const built = createSchemaValidator(spec.document);
    const runtime = createSchemaValidator(spec.document, {}, { useBuild: false });
    let failures = 0;
    for (const pointer of requestPointers) {
      expect(runtime.isPrecompiled(pointer)).toBe(false);
      for (const value of SAMPLES) {
        const expected = runtime.validate(pointer, value);
        failures += expected.length;
        expect({ pointer, value, failures: built.validate(pointer, value) }).toEqual({ pointer, value, failures: expected });
      }
    }
    // The samples do reach failures, with document pointers as their schema paths.
    expect(failures).toBeGreaterThan(requestPointers.length);
    expect(built.validate(requestPointers[0], 'x')[0].schemaPath).toMatch(/^#\/components\/|^#\/paths\//);
  });

  it('compiles an edited spec at run time, so the edit takes effect', () => {
    const edited = structuredClone(spec.document) as Record<string, any>;
    edited.components.parameters.Limit.schema.maximum = 5;
    const validator = createSchemaValidator(edited);
    const pointer = '#/components/parameters/Limit/schema';
    expect(validator.isPrecompiled(pointer)).toBe(false);
    expect(validator.validate(pointer, 6)).toEqual([expect.objectContaining({ keyword: 'maximum', schemaPath: `${pointer}/maximum` })]);
    expect(createSchemaValidator(spec.document).validate(pointer, 6)).toEqual([]);
  });

  it('uses the compiled config validator for the public spec and compiles an edited schema', () => {
    const schema = configSchema(spec);
    expect(loadValidatorModule(validatorCacheFile('config', CONFIG_AJV_OPTIONS, schema))).toBeDefined();
    const edited = { ...schema, properties: { ...(schema as any).properties, seed: { type: 'integer', maximum: 3 } } };
    expect(loadValidatorModule(validatorCacheFile('config', CONFIG_AJV_OPTIONS, edited))).toBeUndefined();
    const check = compileConfigSchema(edited);
    expect(check({ seed: 4 })).toBe(false);
    expect(check({ seed: 3 })).toBe(true);
    expect(() => buildConfig(spec, { seed: -1 })).toThrow(/seed/);
  });
});
