// Spectral ruleset: spectral:oas, plus the project's rules for OpenAPI 3.1 role lists.
const { oas } = require('@stoplight/spectral-rulesets');
const { createRulesetFunction } = require('@stoplight/spectral-core');

// OpenAPI 3.1 (section 4.8.30) allows role names in security requirements for any scheme
// type; spectral:oas still demands OAuth-style scopes. This rule checks instead that every
// requirement names a defined scheme and that every role is a permission declared in the
// document's `x-cortex-permissions`.
const securityRoles = createRulesetFunction({ input: null, options: null }, (requirements, _o, ctx) => {
  const doc = ctx.document.data;
  const schemes = (doc.components && doc.components.securitySchemes) || {};
  const permissions = doc['x-cortex-permissions'] || {};
  const results = [];
  (requirements || []).forEach((requirement, i) => {
    for (const [scheme, roles] of Object.entries(requirement || {})) {
      if (!schemes[scheme]) {
        results.push({ message: `security scheme "${scheme}" is not defined`, path: [...ctx.path, i, scheme] });
        continue;
      }
      (roles || []).forEach((role, j) => {
        if (!Object.prototype.hasOwnProperty.call(permissions, role)) {
          results.push({ message: `role "${role}" is not a permission in x-cortex-permissions`, path: [...ctx.path, i, scheme, j] });
        }
      });
    }
  });
  return results;
});

module.exports = {
  extends: [[oas, 'recommended']],
  // The control API is open by design (local mock only): its root says `security: []`.
  overrides: [
    { files: ['openapi/control.yaml'], rules: { 'cortex-operation-security': 'off' } },
    // Error is the one shape every error schema narrows: clients read any error with it,
    // though no response names it directly (the same warning is justified in .redocly.yaml).
    { files: ['openapi/cortex-edr.yaml#/components/schemas/Error'], rules: { 'oas3-unused-component': 'off' } },
  ],
  rules: {
    'oas3-operation-security-defined': 'off',
    'cortex-security-roles': {
      description: 'Security requirements name defined schemes and declared permissions.',
      message: '{{error}}',
      severity: 'error',
      given: '$.paths[*][get,put,post,delete,patch,options,head,trace].security',
      then: { function: securityRoles },
    },
    'cortex-operation-security': {
      description: 'Every operation declares its security requirements.',
      severity: 'error',
      given: '$.paths[*][get,put,post,delete,patch,options,head,trace]',
      then: { field: 'security', function: require('@stoplight/spectral-functions').truthy },
    },
  },
};
