// The request logger. pino is loaded only when something will be logged: at level silent
// the mock never pays for it at start-up.

/**
 * What the mock logs through; any pino logger is one. Declared here rather than picked from
 * pino's Logger, so the package's types do not pull in pino's (which need esModuleInterop
 * under moduleResolution node10).
 */
export interface MockLogger {
  isLevelEnabled(level: string): boolean;
  info(fields: object, message: string): void;
  /** Something the user should know of, once (a store outage's start), not per request. */
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const SILENT_LOGGER: MockLogger = {
  isLevelEnabled: () => false,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** A pino logger writing JSON lines to stdout at `level`. */
export function createLogger(level: string): MockLogger {
  if (level === 'silent') return SILENT_LOGGER;
  const { pino } = require('pino') as typeof import('pino');
  return pino({ level, base: undefined });
}
