// The one list of command families. Adding a family: write src/commands/<family>.ts
// ending in its table, import it here, add it below.

import type { CommandSpec } from './spec.js';
import { connectionCommands } from './connection.js';
import { stringCommands } from './strings.js';
import { sortedSetCommands } from './sorted-sets.js';

export const families: CommandSpec[][] = [connectionCommands, stringCommands, sortedSetCommands];
