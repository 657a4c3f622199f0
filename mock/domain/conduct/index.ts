export { conductTable, type ConductRule, type ConductTable, type Severity } from './rules';
export { createConductWatch, type ConductFinding, type ConductReport, type ConductWatch, type Observation } from './watch';
