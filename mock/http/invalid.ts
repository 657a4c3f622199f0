// A schema failure as the spec's 400: the parameter (or body field) it names, and the schema
// path that broke. The pipeline's validation stage and the control API both answer with it.
import { ApiError, type ParameterLocation } from '../errors/api-error';
import type { SchemaFailure } from '../../lib/openapi/schema-validator';

export const LOCATION_NAME: Record<ParameterLocation, string> = { query: 'Query parameter', header: 'Header', path: 'Path parameter', body: 'Body field' };

/** A schema failure as a 400 that names the parameter (or body field) and the schema path. */
export function failureToError(location: ParameterLocation, name: string, failure: SchemaFailure): ApiError {
  let parameter = name;
  let message = failure.message;
  if (location === 'body') {
    const field = failure.instancePath.split('/').slice(1).join('.');
    const extra =
      failure.keyword === 'required'
        ? String(failure.params.missingProperty)
        : failure.keyword === 'additionalProperties'
          ? String(failure.params.additionalProperty)
          : '';
    parameter = [field, extra].filter(Boolean).join('.') || 'body';
    if (failure.keyword === 'required') message = 'is required';
    if (failure.keyword === 'additionalProperties') message = 'is not a known field';
  }
  if (failure.keyword === 'enum') message = `must be one of ${(failure.params.allowedValues as unknown[]).join(', ')}`;
  const subject = parameter === 'body' ? 'The request body' : `${LOCATION_NAME[location]} "${parameter}"`;
  return ApiError.invalidRequest(`${subject} ${message}`, { parameter, location, schema_path: failure.schemaPath });
}

