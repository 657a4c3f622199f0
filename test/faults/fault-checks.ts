// The checks of a fault rule over the real documents, shared by the fault tests.
import { CONTROL_SPEC_PATH, PUBLIC_SPEC_PATH, readSpecFile } from '../../lib/openapi/load-spec';
import { createSchemaValidator } from '../../lib/openapi/schema-validator';
import { createFaultRuleChecks } from '../../mock/domain/faults';
import { SPEC } from '../helpers/fixtures';

export const CONTROL_DOC = readSpecFile(CONTROL_SPEC_PATH);
export const CONTROL_VALIDATOR = createSchemaValidator(CONTROL_DOC, { 'cortex-edr.yaml': readSpecFile(PUBLIC_SPEC_PATH) });
export const CHECKS = createFaultRuleChecks(CONTROL_VALIDATOR, CONTROL_DOC, SPEC);
