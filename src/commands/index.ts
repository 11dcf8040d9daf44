// The one list of command families. Adding a family: write src/commands/<family>.ts
// ending in its table, import it here, add it below (one per line).

import type { CommandSpec } from './spec.js';
import { bitmapCommands } from './bitmaps.js';
import { connectionCommands } from './connection.js';
import { gearsCommands } from './gears.js';
import { gearsRegistrationCommands } from './gears-registrations.js';
import { hashCommands } from './hashes.js';
import { hyperloglogCommands } from './hyperloglog.js';
import { keyCommands } from './keys.js';
import { listCommands } from './lists.js';
import { pubsubCommands } from './pubsub.js';
import { scriptingCommands } from './scripting.js';
import { serverCommands } from './server.js';
import { setCommands } from './sets.js';
import { sortCommands } from './sort.js';
import { sortedSetCommands } from './sorted-sets.js';
import { streamCommands } from './streams.js';
import { stringCommands } from './strings.js';
import { transactionCommands } from './transactions.js';

export const families: CommandSpec[][] = [
  connectionCommands,
  serverCommands,
  stringCommands,
  keyCommands,
  listCommands,
  hashCommands,
  setCommands,
  sortedSetCommands,
  streamCommands,
  pubsubCommands,
  transactionCommands,
  scriptingCommands,
  bitmapCommands,
  hyperloglogCommands,
  sortCommands,
  gearsCommands,
  gearsRegistrationCommands,
];
