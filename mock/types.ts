// `cortex-edr-mock/types`: the types openapi-typescript generates from both specs, for a
// typed client (openapi-fetch's createClient<paths>) and for fixtures, plus the config as a
// user writes it. Types only: the module is empty at run time.
export type { paths, components, operations } from './generated/api-types';
export type { paths as ControlPaths, components as ControlComponents, operations as ControlOperations } from './generated/control-types';
export type { MockConfigInput, AccountConfigInput, KeyConfigInput } from './config/config-input';
