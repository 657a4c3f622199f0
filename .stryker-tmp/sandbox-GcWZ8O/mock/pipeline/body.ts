// @ts-nocheck
// Reads a JSON request body with a size cap. Runs in the validation stage, after the
// credential, rate-limit and permission checks, so a refused request's body is never read.
function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors/api-error';
const JSON_TYPE = stryMutAct_9fa48("255") ? /^application\/([a-z0-9.+-]*\+)?json\s*(;)/i : stryMutAct_9fa48("254") ? /^application\/([a-z0-9.+-]*\+)?json\S*(;|$)/i : stryMutAct_9fa48("253") ? /^application\/([a-z0-9.+-]*\+)?json\s(;|$)/i : stryMutAct_9fa48("252") ? /^application\/([^a-z0-9.+-]*\+)?json\s*(;|$)/i : stryMutAct_9fa48("251") ? /^application\/([a-z0-9.+-]\+)?json\s*(;|$)/i : stryMutAct_9fa48("250") ? /^application\/([a-z0-9.+-]*\+)json\s*(;|$)/i : stryMutAct_9fa48("249") ? /application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i : (stryCov_9fa48("249", "250", "251", "252", "253", "254", "255"), /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i);

/** The parsed body, or undefined when there is none and none is required. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number, required: boolean, schemaPointer: string): Promise<unknown> {
  if (stryMutAct_9fa48("256")) {
    {}
  } else {
    stryCov_9fa48("256");
    const declared = Number(req.headers[stryMutAct_9fa48("257") ? "" : (stryCov_9fa48("257"), 'content-length')]);
    if (stryMutAct_9fa48("260") ? Number.isFinite(declared) || declared > maxBytes : stryMutAct_9fa48("259") ? false : stryMutAct_9fa48("258") ? true : (stryCov_9fa48("258", "259", "260"), Number.isFinite(declared) && (stryMutAct_9fa48("263") ? declared <= maxBytes : stryMutAct_9fa48("262") ? declared >= maxBytes : stryMutAct_9fa48("261") ? true : (stryCov_9fa48("261", "262", "263"), declared > maxBytes)))) throw ApiError.payloadTooLarge(maxBytes);
    const chunks: Buffer[] = stryMutAct_9fa48("264") ? ["Stryker was here"] : (stryCov_9fa48("264"), []);
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      if (stryMutAct_9fa48("265")) {
        {}
      } else {
        stryCov_9fa48("265");
        stryMutAct_9fa48("266") ? size -= chunk.length : (stryCov_9fa48("266"), size += chunk.length);
        if (stryMutAct_9fa48("270") ? size <= maxBytes : stryMutAct_9fa48("269") ? size >= maxBytes : stryMutAct_9fa48("268") ? false : stryMutAct_9fa48("267") ? true : (stryCov_9fa48("267", "268", "269", "270"), size > maxBytes)) throw ApiError.payloadTooLarge(maxBytes);
        chunks.push(chunk);
      }
    }
    if (stryMutAct_9fa48("273") ? size !== 0 : stryMutAct_9fa48("272") ? false : stryMutAct_9fa48("271") ? true : (stryCov_9fa48("271", "272", "273"), size === 0)) {
      if (stryMutAct_9fa48("274")) {
        {}
      } else {
        stryCov_9fa48("274");
        if (stryMutAct_9fa48("277") ? false : stryMutAct_9fa48("276") ? true : stryMutAct_9fa48("275") ? required : (stryCov_9fa48("275", "276", "277"), !required)) return undefined;
        throw ApiError.invalidRequest(stryMutAct_9fa48("278") ? "" : (stryCov_9fa48("278"), 'The request body is required'), stryMutAct_9fa48("279") ? {} : (stryCov_9fa48("279"), {
          parameter: stryMutAct_9fa48("280") ? "" : (stryCov_9fa48("280"), 'body'),
          location: stryMutAct_9fa48("281") ? "" : (stryCov_9fa48("281"), 'body'),
          schema_path: schemaPointer,
          reason: stryMutAct_9fa48("282") ? "" : (stryCov_9fa48("282"), 'missing')
        }));
      }
    }
    const type = stryMutAct_9fa48("283") ? req.headers['content-type'] && '' : (stryCov_9fa48("283"), req.headers[stryMutAct_9fa48("284") ? "" : (stryCov_9fa48("284"), 'content-type')] ?? (stryMutAct_9fa48("285") ? "Stryker was here!" : (stryCov_9fa48("285"), '')));
    if (stryMutAct_9fa48("288") ? false : stryMutAct_9fa48("287") ? true : stryMutAct_9fa48("286") ? JSON_TYPE.test(type) : (stryCov_9fa48("286", "287", "288"), !JSON_TYPE.test(type))) throw ApiError.unsupportedMediaType();
    const text = Buffer.concat(chunks, size).toString(stryMutAct_9fa48("289") ? "" : (stryCov_9fa48("289"), 'utf8'));
    try {
      if (stryMutAct_9fa48("290")) {
        {}
      } else {
        stryCov_9fa48("290");
        return JSON.parse(text);
      }
    } catch {
      if (stryMutAct_9fa48("291")) {
        {}
      } else {
        stryCov_9fa48("291");
        throw ApiError.invalidRequest(stryMutAct_9fa48("292") ? "" : (stryCov_9fa48("292"), 'The request body is not valid JSON'), stryMutAct_9fa48("293") ? {} : (stryCov_9fa48("293"), {
          parameter: stryMutAct_9fa48("294") ? "" : (stryCov_9fa48("294"), 'body'),
          location: stryMutAct_9fa48("295") ? "" : (stryCov_9fa48("295"), 'body'),
          schema_path: schemaPointer,
          reason: stryMutAct_9fa48("296") ? "" : (stryCov_9fa48("296"), 'invalid_json')
        }));
      }
    }
  }
}