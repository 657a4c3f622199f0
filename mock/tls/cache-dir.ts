// Where the mock keeps its CA: a folder of the user's cache directory by default, one the
// user names with --tls-dir otherwise, and never inside node_modules (an `npm ci` would
// delete the CA the user has just trusted, and a package folder is no place for a key).
import { homedir } from 'node:os';
import { join, resolve, sep } from 'node:path';

/** A TLS set-up problem the user must fix: the message names the flag or the file. */
export class TlsSetupError extends Error {
  override name = 'TlsSetupError';
}

/**
 * The default folder: `$XDG_CACHE_HOME/cortex-edr-mock/tls` or `~/.cache/cortex-edr-mock/tls`
 * on Linux, `~/Library/Caches/cortex-edr-mock/tls` on macOS, `%LOCALAPPDATA%\cortex-edr-mock\tls`
 * on Windows.
 */
export function defaultTlsDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'cortex-edr-mock', 'tls');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'cortex-edr-mock', 'tls');
  // The XDG Base Directory spec: a relative $XDG_CACHE_HOME is invalid and is ignored.
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.cache'), 'cortex-edr-mock', 'tls');
}

/** The folder to use, absolute; refuses one inside node_modules, naming the flag. */
export function tlsDir(given: string | undefined, flag = '--tls-dir'): string {
  const dir = resolve(given ?? defaultTlsDir());
  if (dir.split(sep).includes('node_modules')) {
    throw new TlsSetupError(`${flag} ${dir} is inside node_modules: the mock keeps its CA's private key there, and npm deletes the folder on the next install; give a folder of your own (the default is ${defaultTlsDir()})`);
  }
  return dir;
}
