// Takes an environment's lock with the built backend, says "locked", then waits to be killed.
//   node hold-lock.mjs file STATE_DIR ENV
//   node hold-lock.mjs postgres URL SCHEMA ENV
const [kind, ...args] = process.argv.slice(2);
let backend;
if (kind === 'file') {
  const { FileBackend } = await import('../../dist/state/file/file-backend.js');
  backend = new FileBackend(args[0], args[1]);
} else {
  const { PostgresBackend } = await import('../../dist/state/postgres/pg-backend.js');
  backend = new PostgresBackend({ url: args[0], schema: args[1] }, args[2], 'test database');
}
await backend.lock({ command: 'hold-lock (test)', timeoutMs: 0 });
process.stdout.write('locked\n');
setInterval(() => {}, 1 << 30);
