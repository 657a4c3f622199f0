// node:path (POSIX joins) as the browser build of the MSW handlers has it: enough to name
// the embedded documents (browser/fs.ts) the way the core names files.
export function join(...parts: string[]): string {
  const out: string[] = [];
  for (const segment of parts.join('/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return `${parts[0]?.startsWith('/') ? '/' : ''}${out.join('/')}`;
}

export function dirname(path: string): string {
  const cut = path.replace(/\/+$/, '').lastIndexOf('/');
  return cut <= 0 ? (path.startsWith('/') ? '/' : '.') : path.slice(0, cut);
}

export const resolve = (...parts: string[]) => join('/', ...parts);
export const basename = (path: string) => path.replace(/\/+$/, '').split('/').pop() ?? '';
export const sep = '/';
export default { join, dirname, resolve, basename, sep };
