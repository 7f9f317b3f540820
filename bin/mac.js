#!/usr/bin/env node
import { main } from '../dist/main.js';

// A reader that stops early (`mac status | head`) closes the pipe: the rest of the output has nowhere to go.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await main(process.argv);
