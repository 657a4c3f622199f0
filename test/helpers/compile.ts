// Compiles a snippet of TypeScript with the project's strict options, for the tests that
// prove a wrong use of a typed API does not compile.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

/** The compiler's messages about `source` (imports given as absolute paths), or [] if it compiles clean. */
export function typeErrors(source: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'snippet-'));
  try {
    const file = join(dir, 'snippet.ts');
    writeFileSync(file, source);
    const program = ts.createProgram([file], { strict: true, noEmit: true, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: [] });
    return ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
