// vitest globalSetup: the e2e tests run the built CLI (dist/), so a source file newer than its build
// makes them test old code. Rebuild then (tsc), or stop the run saying why when the build fails.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { globSync } from 'tinyglobby';

const ROOT = join(import.meta.dirname, '..', '..');

/** Source files (as tsconfig.build.json compiles them) whose dist/ output is missing or older. */
export function staleSources(root = ROOT): string[] {
  return globSync('src/**/*.ts', { cwd: root, ignore: ['src/**/*.test.ts', 'src/**/testing/**'] })
    .sort()
    .filter((path) => {
      const built = join(root, 'dist', path.slice('src/'.length).replace(/\.ts$/, '.js'));
      return !existsSync(built) || statSync(built).mtimeMs < statSync(join(root, path)).mtimeMs;
    });
}

export default function setup(): void {
  const stale = staleSources();
  if (stale.length === 0) return;
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  console.log(`dist/ is older than ${stale.length} source file(s) (first: ${stale[0]}): rebuilding.`);
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0 || staleSources().length > 0) {
    throw new Error(
      `dist/ is stale and the build failed, so the end-to-end tests would run old code. Fix the build (npm run build):\n${build.stdout}${build.stderr}`,
    );
  }
}
