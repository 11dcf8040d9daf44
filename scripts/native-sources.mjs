// Lists the addon's C++ sources for binding.gyp, so adding a file under native/ needs no edit here.
import { readdirSync } from 'node:fs';
import path from 'node:path';

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name.endsWith('.cc') ? [p] : [];
  });
}
console.log(walk('native').sort().join(' '));
