// @ts-nocheck
// The request logger. pino is loaded only when something will be logged: at level silent
// the mock never pays for it at start-up.
import type { Logger } from 'pino';

/** What the mock logs through; any pino logger is one. */
export type MockLogger = Pick<Logger, 'isLevelEnabled' | 'info' | 'error'>;

export const SILENT_LOGGER: MockLogger = {
  isLevelEnabled: () => false,
  info: () => undefined,
  error: () => undefined,
};

/** A pino logger writing JSON lines to stdout at `level`. */
export function createLogger(level: string): MockLogger {
  if (level === 'silent') return SILENT_LOGGER;
  const { pino } = require('pino') as typeof import('pino');
  return pino({ level, base: undefined });
}
