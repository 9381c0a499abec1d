#!/usr/bin/env node
import { main } from '../dist/index.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`outlay: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
