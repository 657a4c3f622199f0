// The schema-failure 400 moved to the stages (stages/invalid.ts); this keeps the control
// API's import working until it imports from there.
export { failureToError, LOCATION_NAME } from '../stages/invalid';
