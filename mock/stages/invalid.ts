// A schema failure as the spec's 400: the parameter (or body field) it names, and the schema
// path that broke (stage logic: request-validator.ts uses it). The pipeline's validation stage and the control API both answer with it.
import { ApiError, type ParameterLocation } from '../errors/api-error';
import { describeFailure, type SchemaFailure } from '../../lib/openapi/schema-validator';

export const LOCATION_NAME: Record<ParameterLocation, string> = { query: 'Query parameter', header: 'Header', path: 'Path parameter', body: 'Body field' };

/** A schema failure as a 400 that names the parameter (or body field) and the schema path. */
export function failureToError(location: ParameterLocation, name: string, failure: SchemaFailure): ApiError {
  const { path, reason } = describeFailure(failure);
  // A body field by its dotted path (the body itself, `name`, at its root); a parameter by its name.
  const parameter = location === 'body' ? path.join('.') || name : name;
  const subject = parameter === 'body' ? 'The request body' : `${LOCATION_NAME[location]} "${parameter}"`;
  return ApiError.invalidRequest(`${subject} ${reason}`, { parameter, location, schema_path: failure.schemaPath });
}
