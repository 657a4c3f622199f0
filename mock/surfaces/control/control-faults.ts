// /_mock/faults: the fault rules (control.yaml's listFaults, addFault, removeFault;
// docs/faults.md). A rule is checked by the same checks as the config's and mock.faults.add
// (control.yaml's FaultRuleInput, then what a schema cannot say, then the surfaces'), so a
// bad rule is a 400 naming its field.
import type { Router } from 'express';
import { FaultRuleError } from '../../domain/faults';
import { ApiError } from '../../errors/api-error';
import { sendJson } from '../../http/render';
import { failureToError } from '../../stages/invalid';
import type { MockCore } from '../../core';
import type { ControlSpec } from './control-spec';

const RULE_SCHEMA = '#/components/schemas/FaultRuleInput';
const FAULT_ID = '#/components/parameters/FaultId/schema';

/** A refused rule as the spec's 400: the field by its dotted path, and the schema keyword that broke. */
function ruleError(err: FaultRuleError): ApiError {
  const { path, reason, schemaPath } = err.problem;
  const parameter = path.join('.') || 'body';
  const subject = parameter === 'body' ? 'The fault rule' : `Body field "${parameter}"`;
  return ApiError.invalidRequest(`${subject} ${reason}`, { parameter, location: 'body', schema_path: schemaPath ?? RULE_SCHEMA });
}

/** Adds the fault rules' routes to the control router; adding and removing are shared mutations. */
export function faultRoutes(router: Router, { faults, mutations }: Pick<MockCore, 'faults' | 'mutations'>, spec: ControlSpec): void {
  // The counts of every instance: with a shared store, read from it.
  router.get('/faults', async (_req, res) => sendJson(res, 200, { data: await faults.counted() }));
  router.post('/faults', async (req, res) => {
    const rule = await spec.unvalidatedBody(req, 'addFault');
    let added;
    try {
      added = await mutations.addFault(rule);
    } catch (err) {
      if (err instanceof FaultRuleError) throw ruleError(err);
      throw err;
    }
    sendJson(res, 201, added);
  });
  router.delete('/faults/:fault_id', async (req, res) => {
    const id = String(req.params.fault_id);
    const failures = spec.validate(FAULT_ID, id);
    if (failures.length > 0) throw failureToError('path', 'fault_id', failures[0]);
    if (!(await mutations.removeFault(id))) throw ApiError.notFound('fault_rule', id);
    sendJson(res, 204, undefined);
  });
}
