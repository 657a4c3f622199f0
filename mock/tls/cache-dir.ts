// Where the mock keeps its CA: a folder of the user's cache directory by default, one the
// user names with --tls-dir otherwise, and never inside node_modules (an `npm ci` would
// delete the CA the user has just trusted, and a package folder is no place for a key).
// The folder is the user's alone (0700): whoever can write in it can swap the CA a client
// trusts, and whoever can read it can list the keys.
import { chmodSync, existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';

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

/** `dir` with its nearest existing ancestor's symlinks resolved: where a write would land. */
function realPathOf(dir: string): string {
  const missing: string[] = [];
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) {
    missing.unshift(basename(existing));
    existing = dirname(existing);
  }
  try {
    return join(realpathSync(existing), ...missing);
  } catch {
    return dir;
  }
}

const inNodeModules = (dir: string) => dir.split(sep).includes('node_modules');

/**
 * The folder to use, absolute. Refuses, naming the flag, an empty one (an unset variable:
 * resolve('') is the current directory) and one inside node_modules, as written or through
 * a symlink.
 */
export function tlsDir(given: string | undefined, flag = '--tls-dir', env: NodeJS.ProcessEnv = process.env): string {
  if (given !== undefined && given.trim() === '') {
    throw new TlsSetupError(`${flag} is empty: give a folder for the CA (an unset variable?), or leave ${flag} out for the default ${defaultTlsDir(env)}`);
  }
  const dir = resolve(given ?? defaultTlsDir(env));
  const real = realPathOf(dir);
  if (inNodeModules(dir) || inNodeModules(real)) {
    const via = real === dir ? '' : ` (it leads to ${real})`;
    throw new TlsSetupError(`${flag} ${dir}${via} is inside node_modules: the mock keeps its CA's private key there, and npm deletes the folder on the next install; give a folder of your own (the default is ${defaultTlsDir(env)})`);
  }
  return dir;
}

/**
 * The folder, checked (tlsDir) and made 0700 if missing. An existing folder that other users
 * can reach (any group or other bit) is tightened to 0700 when it is the default one, which
 * is the mock's own, and refused, naming the flag, when the user gave it: the mock does not
 * change the mode of a folder of the user's (a home directory, a shared /tmp folder).
 */
export function prepareTlsDir(given: string | undefined, flag = '--tls-dir', platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const dir = tlsDir(given, flag, env);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new TlsSetupError(`cannot create the TLS folder ${dir}: ${(err as Error).message}`);
  }
  // Windows has no such mode bits: its folders inherit their ACLs.
  if (platform === 'win32') return dir;
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return dir;
  const octal = `0${mode.toString(8)}`;
  if (given !== undefined) {
    throw new TlsSetupError(`${flag} ${dir} can be reached by other users (mode ${octal}), and the mock keeps its CA's private key there: chmod 700 it, or give a new folder (the mock makes it 0700)`);
  }
  try {
    chmodSync(dir, 0o700);
  } catch (err) {
    throw new TlsSetupError(`the TLS folder ${dir} can be reached by other users (mode ${octal}), and it cannot be made 0700: ${(err as Error).message}`);
  }
  return dir;
}
