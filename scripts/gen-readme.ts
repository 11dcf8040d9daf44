// `npm run readme`: rewrites the generated parts of README.md from the command table and
// the OPTIONS list, between <!-- name:start --> and <!-- name:end --> markers. The test
// test/readme.test.ts fails when the README is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { families } from '../src/commands/index.js';
import type { CommandSpec } from '../src/commands/spec.js';
import { OPTIONS, type OptionSpec } from '../src/config.js';

const README = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md');

/** One line per group: its commands, subcommands in parentheses. */
export function commandsSection(): string {
  const byGroup = new Map<string, CommandSpec[]>();
  for (const spec of families.flat()) {
    const list = byGroup.get(spec.group) ?? [];
    list.push(spec);
    byGroup.set(spec.group, list);
  }
  const total = families.flat().length;
  const lines = [...byGroup.keys()].sort().map((group) => {
    const names = byGroup
      .get(group)!
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((s) => {
        const subs = s.subcommands?.map((x) => x.name.split('|')[1].toUpperCase()).sort();
        return subs ? `${s.name.toUpperCase()} (${subs.join(', ')})` : s.name.toUpperCase();
      });
    return `- **${group}**: ${names.join(', ')}`;
  });
  return [`${total} commands. \`COMMAND DOCS\` (and redis-cli's hints) give each one's syntax.`, '', ...lines].join('\n');
}

function optionDefault(o: OptionSpec): string {
  if (o.name === 'dir') return '(working directory)';
  const text = o.format ? o.format(o.default) : String(o.default);
  return text === '' ? '""' : text;
}

/** The options, as `--name value` flags or config-file directives. */
export function optionsSection(): string {
  const rows = OPTIONS.map((o) => `| \`${o.name}\` | \`${optionDefault(o)}\` | ${o.mutable ? 'yes' : 'no'} |`);
  return ['| option | default | CONFIG SET |', '| --- | --- | --- |', ...rows].join('\n');
}

const SECTIONS: Record<string, () => string> = { commands: commandsSection, options: optionsSection };

/** The README with every generated section brought up to date. */
export function renderReadme(text: string): string {
  let out = text;
  for (const [name, make] of Object.entries(SECTIONS)) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const i = out.indexOf(start);
    const j = out.indexOf(end);
    if (i < 0 || j < i) throw new Error(`README.md lacks the ${start} ... ${end} markers`);
    out = `${out.slice(0, i + start.length)}\n${make()}\n${out.slice(j)}`;
  }
  return out;
}

export function readmePath(): string {
  return README;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const before = readFileSync(README, 'utf8');
  const after = renderReadme(before);
  if (after !== before) writeFileSync(README, after);
  console.log(after === before ? 'README.md is up to date' : 'README.md updated');
}
