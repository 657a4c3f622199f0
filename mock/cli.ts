#!/usr/bin/env node
// The command-line entry point: reads the environment and listens.
import { createApp } from './app';

const port = Number(process.env.PORT ?? 4010);
const host = process.env.HOST ?? '127.0.0.1';
const server = createApp().listen(port, host, () => {
  process.stdout.write(`cortex-edr-mock listening on http://${host}:${port}/v1\n`);
});
server.on('error', (err) => {
  process.stderr.write(`cortex-edr-mock: cannot listen on ${host}:${port}: ${err.message}\n`);
  process.exit(1);
});
