// The request logger of the browser build of the MSW handlers: no pino (a Node logger), the
// console instead, with the same levels and the same redacted fields.
import type { MockLogger } from '../observability/logger';

export type { MockLogger };

export const SILENT_LOGGER: MockLogger = {
  isLevelEnabled: () => false,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** A console logger at `level` (silent logs nothing). */
export function createLogger(level: string): MockLogger {
  if (level === 'silent') return SILENT_LOGGER;
  const floor = LEVELS.indexOf(level);
  const write = (method: 'info' | 'warn' | 'error') => ((fields: unknown, message?: string) => console[method]('[cortex-edr-mock]', message ?? '', fields)) as MockLogger['info'];
  return { isLevelEnabled: (l: string) => LEVELS.indexOf(l) >= floor, info: write('info'), warn: write('warn'), error: write('error') };
}
