#!/usr/bin/env node
// gearsd [config-file] [--port N] [--bind ADDR] [--requirepass PW] [--databases N] [--loglevel L]

import { createWriteStream } from 'node:fs';

import { ConfigError, configFromArgs } from './config.js';
import { log, setLogLevel, setLogSink, type LogLevel } from './log.js';
import { loadNative } from './native.js';
import { Server } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = configFromArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`gearsd: ${e.message}\n`);
    process.exit(1);
  }
  setLogLevel(config.str('loglevel') as LogLevel);
  if (config.str('logfile')) {
    const stream = createWriteStream(config.str('logfile'), { flags: 'a' });
    setLogSink((line) => stream.write(line + '\n'));
  }

  const server = new Server(config, loadNative());
  // Installed before listening: a client may connect (and a signal arrive) as soon as the port is open.
  process.on('SIGINT', () => server.shutdown('Received SIGINT scheduling shutdown...'));
  process.on('SIGTERM', () => server.shutdown('Received SIGTERM scheduling shutdown...'));
  try {
    await server.listen();
  } catch (e) {
    log('warning', `Could not listen on ${config.str('bind')}:${config.int('port')}: ${(e as Error).message}`);
    process.exit(1);
  }
  log('notice', `gearsd ready to accept connections on ${config.str('bind')}:${server.port} (Python ${server.info.python.split(' ')[0]})`);

}

void main();
