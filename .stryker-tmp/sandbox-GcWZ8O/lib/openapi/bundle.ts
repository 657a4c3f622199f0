// @ts-nocheck
// Makes the control API's document stand alone: its references into the public document
// (`./cortex-edr.yaml#/components/schemas/X`) become local ones, with the schemas they
// need copied in. Served at /_mock/openapi.json, it loads in Swagger UI and in client
// generators without a second file.

type Json = Record<string, unknown>;

const EXTERNAL = /^\.\/cortex-edr\.yaml#\/components\/schemas\/([^/]+)$/;
const LOCAL = /^#\/components\/schemas\/([^/]+)$/;

/** The control document with every schema it references from `publicDoc` inlined. */
export function bundleControlSpec(control: Json, publicDoc: Json): Json {
  const publicSchemas = ((publicDoc.components as Json | undefined)?.schemas ?? {}) as Record<string, unknown>;
  const copied: Record<string, unknown> = {};
  const own = new Set(Object.keys(((control.components as Json | undefined)?.schemas ?? {}) as object));

  // Copies a public schema (and what it references) under its own name, once.
  const include = (name: string) => {
    if (name in copied || own.has(name)) return;
    if (!(name in publicSchemas)) throw new Error(`control.yaml references ${name}, which cortex-edr.yaml does not define`);
    copied[name] = null;
    copied[name] = rewrite(publicSchemas[name], true);
  };
  const rewrite = (node: unknown, fromPublic: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => rewrite(n, fromPublic));
    if (node === null || typeof node !== 'object') return node;
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') {
        const external = EXTERNAL.exec(v);
        const local = fromPublic ? LOCAL.exec(v) : null;
        if (external || local) {
          const name = (external ?? local)![1];
          include(name);
          out[k] = `#/components/schemas/${name}`;
          continue;
        }
      }
      out[k] = rewrite(v, fromPublic);
    }
    return out;
  };

  const bundled = rewrite(control, false) as Json;
  const components = (bundled.components ?? {}) as Json;
  bundled.components = { ...components, schemas: { ...((components.schemas as Json | undefined) ?? {}), ...copied } };
  return bundled;
}
