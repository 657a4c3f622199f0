// A report file the CLI writes on exit (--conduct-report): checked when the mock starts, so
// a path that cannot be written is refused then and not found out at the end of a run, and
// written atomically (a temporary file beside it, then a rename), so a kill mid-write leaves
// the old file or the new one, never half of one. Synchronous: it runs in an exit handler.
import { accessSync, constants, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Why `path` cannot take a report, in words; undefined when it can. */
export function reportPathProblem(path: string): string | undefined {
  if (path.trim() === '') return 'an empty path';
  const file = resolve(path);
  const folder = dirname(file);
  let stats;
  try {
    stats = statSync(folder);
  } catch {
    return `the folder ${folder} does not exist`;
  }
  if (!stats.isDirectory()) return `${folder} is not a folder`;
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    return `the folder ${folder} cannot be written`;
  }
  try {
    if (statSync(file).isDirectory()) return `${file} is a folder`;
  } catch {
    // No file yet: it is made on exit.
  }
  return undefined;
}

/** Writes `text` to `path` through a temporary file in the same folder and a rename. */
export function writeFileAtomically(path: string, text: string): void {
  const file = resolve(path);
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
  }
}
