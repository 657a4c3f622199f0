// Structured Field Values (RFC 8941/9651) from structured-headers, for Signature-Input and
// Signature. The package names its types only in package.json "exports", which this
// project's moduleResolution ("node") does not read: the types come from its CommonJS
// declaration file, the functions from require (as test/limits/ietf-headers.test.ts does).
import type * as StructuredHeaders from '../../../../node_modules/structured-headers/cjs/index.cjs';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sf = require('structured-headers') as typeof StructuredHeaders;

export type Dictionary = StructuredHeaders.Dictionary;
export type InnerList = StructuredHeaders.InnerList;
export type Item = StructuredHeaders.Item;

export const parseDictionary: typeof sf.parseDictionary = (text) => sf.parseDictionary(text);
export const serializeDictionary: typeof sf.serializeDictionary = (dict) => sf.serializeDictionary(dict);
export const serializeInnerList: typeof sf.serializeInnerList = (list) => sf.serializeInnerList(list);
