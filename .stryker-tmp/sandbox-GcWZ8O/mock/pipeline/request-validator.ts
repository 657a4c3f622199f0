// @ts-nocheck
// Validates a request's parameters and body against its operation's schemas, compiled once
// per operation. A failure is a 400 naming the parameter and the schema path that broke.
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
import { ApiError, type ParameterLocation } from '../errors/api-error';
import { deref, type LoadedSpec, type SpecOperation, type JsonSchema } from '../../lib/openapi/load-spec';
import type { SchemaFailure, SchemaValidator } from '../../lib/openapi/schema-validator';
interface CompiledParameter {
  name: string;
  in: ParameterLocation;
  required: boolean;
  type: string | undefined;
  default: unknown;
  pointer: string;
  check: (value: unknown) => SchemaFailure[];
}
export interface ValidatedParameters {
  params: Record<string, string>;
  query: Record<string, unknown>;
  headers: Record<string, string>;
}
const LOCATION_NAME: Record<ParameterLocation, string> = stryMutAct_9fa48("497") ? {} : (stryCov_9fa48("497"), {
  query: stryMutAct_9fa48("498") ? "" : (stryCov_9fa48("498"), 'Query parameter'),
  header: stryMutAct_9fa48("499") ? "" : (stryCov_9fa48("499"), 'Header'),
  path: stryMutAct_9fa48("500") ? "" : (stryCov_9fa48("500"), 'Path parameter'),
  body: stryMutAct_9fa48("501") ? "" : (stryCov_9fa48("501"), 'Body field')
});

/** A schema failure as a 400 that names the parameter (or body field) and the schema path. */
export function failureToError(location: ParameterLocation, name: string, failure: SchemaFailure): ApiError {
  if (stryMutAct_9fa48("502")) {
    {}
  } else {
    stryCov_9fa48("502");
    let parameter = name;
    let message = failure.message;
    if (stryMutAct_9fa48("505") ? location !== 'body' : stryMutAct_9fa48("504") ? false : stryMutAct_9fa48("503") ? true : (stryCov_9fa48("503", "504", "505"), location === (stryMutAct_9fa48("506") ? "" : (stryCov_9fa48("506"), 'body')))) {
      if (stryMutAct_9fa48("507")) {
        {}
      } else {
        stryCov_9fa48("507");
        const field = stryMutAct_9fa48("508") ? failure.instancePath.split('/').join('.') : (stryCov_9fa48("508"), failure.instancePath.split(stryMutAct_9fa48("509") ? "" : (stryCov_9fa48("509"), '/')).slice(1).join(stryMutAct_9fa48("510") ? "" : (stryCov_9fa48("510"), '.')));
        const extra = (stryMutAct_9fa48("513") ? failure.keyword !== 'required' : stryMutAct_9fa48("512") ? false : stryMutAct_9fa48("511") ? true : (stryCov_9fa48("511", "512", "513"), failure.keyword === (stryMutAct_9fa48("514") ? "" : (stryCov_9fa48("514"), 'required')))) ? String(failure.params.missingProperty) : (stryMutAct_9fa48("517") ? failure.keyword !== 'additionalProperties' : stryMutAct_9fa48("516") ? false : stryMutAct_9fa48("515") ? true : (stryCov_9fa48("515", "516", "517"), failure.keyword === (stryMutAct_9fa48("518") ? "" : (stryCov_9fa48("518"), 'additionalProperties')))) ? String(failure.params.additionalProperty) : stryMutAct_9fa48("519") ? "Stryker was here!" : (stryCov_9fa48("519"), '');
        parameter = stryMutAct_9fa48("522") ? [field, extra].filter(Boolean).join('.') && 'body' : stryMutAct_9fa48("521") ? false : stryMutAct_9fa48("520") ? true : (stryCov_9fa48("520", "521", "522"), (stryMutAct_9fa48("523") ? [field, extra].join('.') : (stryCov_9fa48("523"), (stryMutAct_9fa48("524") ? [] : (stryCov_9fa48("524"), [field, extra])).filter(Boolean).join(stryMutAct_9fa48("525") ? "" : (stryCov_9fa48("525"), '.')))) || (stryMutAct_9fa48("526") ? "" : (stryCov_9fa48("526"), 'body')));
        if (stryMutAct_9fa48("529") ? failure.keyword !== 'required' : stryMutAct_9fa48("528") ? false : stryMutAct_9fa48("527") ? true : (stryCov_9fa48("527", "528", "529"), failure.keyword === (stryMutAct_9fa48("530") ? "" : (stryCov_9fa48("530"), 'required')))) message = stryMutAct_9fa48("531") ? "" : (stryCov_9fa48("531"), 'is required');
        if (stryMutAct_9fa48("534") ? failure.keyword !== 'additionalProperties' : stryMutAct_9fa48("533") ? false : stryMutAct_9fa48("532") ? true : (stryCov_9fa48("532", "533", "534"), failure.keyword === (stryMutAct_9fa48("535") ? "" : (stryCov_9fa48("535"), 'additionalProperties')))) message = stryMutAct_9fa48("536") ? "" : (stryCov_9fa48("536"), 'is not a known field');
      }
    }
    if (stryMutAct_9fa48("539") ? failure.keyword !== 'enum' : stryMutAct_9fa48("538") ? false : stryMutAct_9fa48("537") ? true : (stryCov_9fa48("537", "538", "539"), failure.keyword === (stryMutAct_9fa48("540") ? "" : (stryCov_9fa48("540"), 'enum')))) message = stryMutAct_9fa48("541") ? `` : (stryCov_9fa48("541"), `must be one of ${(failure.params.allowedValues as unknown[]).join(stryMutAct_9fa48("542") ? "" : (stryCov_9fa48("542"), ', '))}`);
    const subject = (stryMutAct_9fa48("545") ? parameter !== 'body' : stryMutAct_9fa48("544") ? false : stryMutAct_9fa48("543") ? true : (stryCov_9fa48("543", "544", "545"), parameter === (stryMutAct_9fa48("546") ? "" : (stryCov_9fa48("546"), 'body')))) ? stryMutAct_9fa48("547") ? "" : (stryCov_9fa48("547"), 'The request body') : stryMutAct_9fa48("548") ? `` : (stryCov_9fa48("548"), `${LOCATION_NAME[location]} "${parameter}"`);
    return ApiError.invalidRequest(stryMutAct_9fa48("549") ? `` : (stryCov_9fa48("549"), `${subject} ${message}`), stryMutAct_9fa48("550") ? {} : (stryCov_9fa48("550"), {
      parameter,
      location,
      schema_path: failure.schemaPath
    }));
  }
}

/** Coerces a query, path or header string to the schema's type; leaves it when it can't. */
function coerce(raw: string, type: string | undefined): unknown {
  if (stryMutAct_9fa48("551")) {
    {}
  } else {
    stryCov_9fa48("551");
    if (stryMutAct_9fa48("554") ? type === 'integer' || /^-?\d{1,15}$/.test(raw) : stryMutAct_9fa48("553") ? false : stryMutAct_9fa48("552") ? true : (stryCov_9fa48("552", "553", "554"), (stryMutAct_9fa48("556") ? type !== 'integer' : stryMutAct_9fa48("555") ? true : (stryCov_9fa48("555", "556"), type === (stryMutAct_9fa48("557") ? "" : (stryCov_9fa48("557"), 'integer')))) && (stryMutAct_9fa48("562") ? /^-?\D{1,15}$/ : stryMutAct_9fa48("561") ? /^-?\d$/ : stryMutAct_9fa48("560") ? /^-\d{1,15}$/ : stryMutAct_9fa48("559") ? /^-?\d{1,15}/ : stryMutAct_9fa48("558") ? /-?\d{1,15}$/ : (stryCov_9fa48("558", "559", "560", "561", "562"), /^-?\d{1,15}$/)).test(raw))) return Number(raw);
    if (stryMutAct_9fa48("565") ? type === 'number' && raw.trim() !== '' || Number.isFinite(Number(raw)) : stryMutAct_9fa48("564") ? false : stryMutAct_9fa48("563") ? true : (stryCov_9fa48("563", "564", "565"), (stryMutAct_9fa48("567") ? type === 'number' || raw.trim() !== '' : stryMutAct_9fa48("566") ? true : (stryCov_9fa48("566", "567"), (stryMutAct_9fa48("569") ? type !== 'number' : stryMutAct_9fa48("568") ? true : (stryCov_9fa48("568", "569"), type === (stryMutAct_9fa48("570") ? "" : (stryCov_9fa48("570"), 'number')))) && (stryMutAct_9fa48("572") ? raw.trim() === '' : stryMutAct_9fa48("571") ? true : (stryCov_9fa48("571", "572"), (stryMutAct_9fa48("573") ? raw : (stryCov_9fa48("573"), raw.trim())) !== (stryMutAct_9fa48("574") ? "Stryker was here!" : (stryCov_9fa48("574"), '')))))) && Number.isFinite(Number(raw)))) return Number(raw);
    if (stryMutAct_9fa48("577") ? type === 'boolean' || raw === 'true' || raw === 'false' : stryMutAct_9fa48("576") ? false : stryMutAct_9fa48("575") ? true : (stryCov_9fa48("575", "576", "577"), (stryMutAct_9fa48("579") ? type !== 'boolean' : stryMutAct_9fa48("578") ? true : (stryCov_9fa48("578", "579"), type === (stryMutAct_9fa48("580") ? "" : (stryCov_9fa48("580"), 'boolean')))) && (stryMutAct_9fa48("582") ? raw === 'true' && raw === 'false' : stryMutAct_9fa48("581") ? true : (stryCov_9fa48("581", "582"), (stryMutAct_9fa48("584") ? raw !== 'true' : stryMutAct_9fa48("583") ? false : (stryCov_9fa48("583", "584"), raw === (stryMutAct_9fa48("585") ? "" : (stryCov_9fa48("585"), 'true')))) || (stryMutAct_9fa48("587") ? raw !== 'false' : stryMutAct_9fa48("586") ? false : (stryCov_9fa48("586", "587"), raw === (stryMutAct_9fa48("588") ? "" : (stryCov_9fa48("588"), 'false')))))))) return stryMutAct_9fa48("591") ? raw !== 'true' : stryMutAct_9fa48("590") ? false : stryMutAct_9fa48("589") ? true : (stryCov_9fa48("589", "590", "591"), raw === (stryMutAct_9fa48("592") ? "" : (stryCov_9fa48("592"), 'true')));
    return raw;
  }
}
export function createRequestValidator(spec: LoadedSpec, schemas: SchemaValidator) {
  if (stryMutAct_9fa48("593")) {
    {}
  } else {
    stryCov_9fa48("593");
    const compiled = new Map<string, {
      parameters: CompiledParameter[];
      body?: (value: unknown) => SchemaFailure[];
    }>();
    function compile(op: SpecOperation) {
      if (stryMutAct_9fa48("594")) {
        {}
      } else {
        stryCov_9fa48("594");
        let entry = compiled.get(op.operationId);
        if (stryMutAct_9fa48("596") ? false : stryMutAct_9fa48("595") ? true : (stryCov_9fa48("595", "596"), entry)) return entry;
        entry = stryMutAct_9fa48("597") ? {} : (stryCov_9fa48("597"), {
          parameters: stryMutAct_9fa48("598") ? op.parameters.map(p => {
            const resolved = deref<JsonSchema>(spec.document, p.schema, p.schemaPointer).value;
            return {
              name: p.name,
              in: p.in as ParameterLocation,
              required: p.required,
              type: resolved.type,
              default: resolved.default,
              pointer: p.schemaPointer,
              check: schemas.compile(p.schemaPointer)
            };
          }) : (stryCov_9fa48("598"), op.parameters.filter(stryMutAct_9fa48("599") ? () => undefined : (stryCov_9fa48("599"), p => stryMutAct_9fa48("602") ? p.in === 'cookie' : stryMutAct_9fa48("601") ? false : stryMutAct_9fa48("600") ? true : (stryCov_9fa48("600", "601", "602"), p.in !== (stryMutAct_9fa48("603") ? "" : (stryCov_9fa48("603"), 'cookie'))))).map(p => {
            if (stryMutAct_9fa48("604")) {
              {}
            } else {
              stryCov_9fa48("604");
              const resolved = deref<JsonSchema>(spec.document, p.schema, p.schemaPointer).value;
              return stryMutAct_9fa48("605") ? {} : (stryCov_9fa48("605"), {
                name: p.name,
                in: p.in as ParameterLocation,
                required: p.required,
                type: resolved.type,
                default: resolved.default,
                pointer: p.schemaPointer,
                check: schemas.compile(p.schemaPointer)
              });
            }
          })),
          body: op.requestBody ? schemas.compile(op.requestBody.schemaPointer) : undefined
        });
        compiled.set(op.operationId, entry);
        return entry;
      }
    }
    return stryMutAct_9fa48("606") ? {} : (stryCov_9fa48("606"), {
      /** Compiles every operation now, instead of on first use. */
      warm() {
        if (stryMutAct_9fa48("607")) {
          {}
        } else {
          stryCov_9fa48("607");
          for (const op of spec.operations) compile(op);
        }
      },
      /** Checks path, query and header parameters. Throws ApiError (400). */
      parameters(op: SpecOperation, pathParams: Record<string, string>, search: URLSearchParams, headers: Record<string, string | string[] | undefined>): ValidatedParameters {
        if (stryMutAct_9fa48("608")) {
          {}
        } else {
          stryCov_9fa48("608");
          const out: ValidatedParameters = stryMutAct_9fa48("609") ? {} : (stryCov_9fa48("609"), {
            params: {},
            query: {},
            headers: {}
          });
          for (const p of compile(op).parameters) {
            if (stryMutAct_9fa48("610")) {
              {}
            } else {
              stryCov_9fa48("610");
              let raw: string | undefined;
              if (stryMutAct_9fa48("613") ? p.in !== 'path' : stryMutAct_9fa48("612") ? false : stryMutAct_9fa48("611") ? true : (stryCov_9fa48("611", "612", "613"), p.in === (stryMutAct_9fa48("614") ? "" : (stryCov_9fa48("614"), 'path')))) raw = pathParams[p.name];else if (stryMutAct_9fa48("617") ? p.in !== 'query' : stryMutAct_9fa48("616") ? false : stryMutAct_9fa48("615") ? true : (stryCov_9fa48("615", "616", "617"), p.in === (stryMutAct_9fa48("618") ? "" : (stryCov_9fa48("618"), 'query')))) {
                if (stryMutAct_9fa48("619")) {
                  {}
                } else {
                  stryCov_9fa48("619");
                  const all = search.getAll(p.name);
                  if (stryMutAct_9fa48("623") ? all.length <= 1 : stryMutAct_9fa48("622") ? all.length >= 1 : stryMutAct_9fa48("621") ? false : stryMutAct_9fa48("620") ? true : (stryCov_9fa48("620", "621", "622", "623"), all.length > 1)) {
                    if (stryMutAct_9fa48("624")) {
                      {}
                    } else {
                      stryCov_9fa48("624");
                      throw ApiError.invalidRequest(stryMutAct_9fa48("625") ? `` : (stryCov_9fa48("625"), `Query parameter "${p.name}" must not be repeated`), stryMutAct_9fa48("626") ? {} : (stryCov_9fa48("626"), {
                        parameter: p.name,
                        location: stryMutAct_9fa48("627") ? "" : (stryCov_9fa48("627"), 'query'),
                        schema_path: p.pointer,
                        reason: stryMutAct_9fa48("628") ? "" : (stryCov_9fa48("628"), 'repeated')
                      }));
                    }
                  }
                  raw = all[0];
                }
              } else {
                if (stryMutAct_9fa48("629")) {
                  {}
                } else {
                  stryCov_9fa48("629");
                  const h = headers[stryMutAct_9fa48("630") ? p.name.toUpperCase() : (stryCov_9fa48("630"), p.name.toLowerCase())];
                  raw = Array.isArray(h) ? h.join(stryMutAct_9fa48("631") ? "" : (stryCov_9fa48("631"), ', ')) : h;
                }
              }
              if (stryMutAct_9fa48("634") ? raw !== undefined : stryMutAct_9fa48("633") ? false : stryMutAct_9fa48("632") ? true : (stryCov_9fa48("632", "633", "634"), raw === undefined)) {
                if (stryMutAct_9fa48("635")) {
                  {}
                } else {
                  stryCov_9fa48("635");
                  if (stryMutAct_9fa48("637") ? false : stryMutAct_9fa48("636") ? true : (stryCov_9fa48("636", "637"), p.required)) {
                    if (stryMutAct_9fa48("638")) {
                      {}
                    } else {
                      stryCov_9fa48("638");
                      throw ApiError.invalidRequest(stryMutAct_9fa48("639") ? `` : (stryCov_9fa48("639"), `${LOCATION_NAME[p.in]} "${p.name}" is required`), stryMutAct_9fa48("640") ? {} : (stryCov_9fa48("640"), {
                        parameter: p.name,
                        location: p.in,
                        schema_path: p.pointer,
                        reason: stryMutAct_9fa48("641") ? "" : (stryCov_9fa48("641"), 'missing')
                      }));
                    }
                  }
                  if (stryMutAct_9fa48("644") ? p.in === 'query' || p.default !== undefined : stryMutAct_9fa48("643") ? false : stryMutAct_9fa48("642") ? true : (stryCov_9fa48("642", "643", "644"), (stryMutAct_9fa48("646") ? p.in !== 'query' : stryMutAct_9fa48("645") ? true : (stryCov_9fa48("645", "646"), p.in === (stryMutAct_9fa48("647") ? "" : (stryCov_9fa48("647"), 'query')))) && (stryMutAct_9fa48("649") ? p.default === undefined : stryMutAct_9fa48("648") ? true : (stryCov_9fa48("648", "649"), p.default !== undefined)))) out.query[p.name] = p.default;
                  continue;
                }
              }
              const value = coerce(raw, p.type);
              const failures = p.check(value);
              if (stryMutAct_9fa48("653") ? failures.length <= 0 : stryMutAct_9fa48("652") ? failures.length >= 0 : stryMutAct_9fa48("651") ? false : stryMutAct_9fa48("650") ? true : (stryCov_9fa48("650", "651", "652", "653"), failures.length > 0)) throw failureToError(p.in, p.name, failures[0]);
              if (stryMutAct_9fa48("656") ? p.in !== 'path' : stryMutAct_9fa48("655") ? false : stryMutAct_9fa48("654") ? true : (stryCov_9fa48("654", "655", "656"), p.in === (stryMutAct_9fa48("657") ? "" : (stryCov_9fa48("657"), 'path')))) out.params[p.name] = raw;else if (stryMutAct_9fa48("660") ? p.in !== 'query' : stryMutAct_9fa48("659") ? false : stryMutAct_9fa48("658") ? true : (stryCov_9fa48("658", "659", "660"), p.in === (stryMutAct_9fa48("661") ? "" : (stryCov_9fa48("661"), 'query')))) out.query[p.name] = value;else out.headers[p.name] = raw;
            }
          }
          return out;
        }
      },
      /** Checks a parsed JSON body. Throws ApiError (400). */
      body(op: SpecOperation, value: unknown): void {
        if (stryMutAct_9fa48("662")) {
          {}
        } else {
          stryCov_9fa48("662");
          const check = compile(op).body;
          if (stryMutAct_9fa48("665") ? false : stryMutAct_9fa48("664") ? true : stryMutAct_9fa48("663") ? check : (stryCov_9fa48("663", "664", "665"), !check)) return;
          const failures = check(value);
          if (stryMutAct_9fa48("669") ? failures.length <= 0 : stryMutAct_9fa48("668") ? failures.length >= 0 : stryMutAct_9fa48("667") ? false : stryMutAct_9fa48("666") ? true : (stryCov_9fa48("666", "667", "668", "669"), failures.length > 0)) throw failureToError(stryMutAct_9fa48("670") ? "" : (stryCov_9fa48("670"), 'body'), stryMutAct_9fa48("671") ? "" : (stryCov_9fa48("671"), 'body'), failures[0]);
        }
      }
    });
  }
}
export type RequestValidator = ReturnType<typeof createRequestValidator>;