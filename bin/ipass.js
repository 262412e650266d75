#!/usr/bin/env node
// The ipass command. CommonJS (bin/package.json), so that this runs before anything starts libuv's
// thread pool: an ES module entry is read through the pool on Node 20, after which its size is fixed.
const { availableParallelism } = require('node:os');

// The pool signs every request (and, in the sandbox, every response): one thread per core, at least
// two so that a slow file operation never stalls signing. A size set by the user wins.
if (!process.env.UV_THREADPOOL_SIZE) {
  process.env.UV_THREADPOOL_SIZE = String(Math.max(2, availableParallelism()));
}

// A reader that went away (`ipass state list | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

import('../dist/cli/main.js')
  .then(({ main }) => main(process.argv))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`ipass: internal error (a bug, please report it): ${error?.stack ?? error}\n`);
      process.exitCode = 1;
    },
  );
