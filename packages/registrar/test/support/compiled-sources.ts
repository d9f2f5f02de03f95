import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Transpiles the package sources to plain JS under `node_modules/.tandem-test/<name>` so a
 * child `node` process (Node 20 cannot run .ts) can load them and still resolve
 * better-sqlite3 from the package's node_modules. Returns that directory.
 */
export function compileSourcesForChild(name: string): string {
  const outDir = join(packageDir, 'node_modules', '.tandem-test', name);
  rmSync(outDir, { recursive: true, force: true });
  const srcDir = join(packageDir, 'src');
  for (const file of listTs(srcDir)) {
    const output = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    const target = join(outDir, relative(srcDir, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output.outputText);
  }
  writeFileSync(join(outDir, 'package.json'), '{"type":"module"}');
  return outDir;
}

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listTs(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}
