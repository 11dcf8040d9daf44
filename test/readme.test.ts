// The README's command and option lists are generated; this fails when they are stale
// (fix: `npm run readme`).
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

import { commandsSection, readmePath, renderReadme } from '../scripts/gen-readme.js';
import { families } from '../src/commands/index.js';

test('README.md lists every command and option of this build', () => {
  const text = readFileSync(readmePath(), 'utf8');
  assert.fixture(renderReadme(text), text);
});

test('the generated list names every table entry and subcommand', () => {
  const section = commandsSection();
  for (const spec of families.flat()) {
    assert.ok(section.includes(spec.name.toUpperCase()), spec.name);
    for (const sub of spec.subcommands ?? []) assert.ok(section.includes(sub.name.split('|')[1].toUpperCase()), sub.name);
  }
});

test.run();
