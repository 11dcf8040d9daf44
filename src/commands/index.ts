// The one list of command families. Adding a family: write src/commands/<family>.ts
// ending in its table, import it here, add it below.

import type { CommandSpec } from './spec.js';
import { connectionCommands } from './connection.js';
import { serverCommands } from './server.js';
import { stringCommands } from './strings.js';

export const families: CommandSpec[][] = [connectionCommands, serverCommands, stringCommands];
