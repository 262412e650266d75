#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`ipass: internal error (a bug, please report it): ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
