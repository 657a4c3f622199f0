// The package's API for SDK test suites: build the app in-process or start it on a port.
export { createApp, createMock, type Mock, type MockHandle, type MockOptions } from './app';
export type { MockRouter } from './surfaces/express';
export { startMockServer, type RunningMock, type StartOptions } from './server';
export { createClock, type Clock, type ControllableClock } from './clock';
export { buildConfig, readConfigFile, ConfigError, type MockConfig } from './config/config';
export type { MockConfigInput, AccountConfigInput, KeyConfigInput } from './config/config-input';
