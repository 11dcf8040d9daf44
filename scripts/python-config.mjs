// Prints the compiler/linker flags for embedding CPython, for binding.gyp.
// The Python is the machine's `python3` unless GEARSD_PYTHON_CONFIG names another
// `pythonX.Y-config`; its interpreter is found beside it (same prefix).
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const config = process.env.GEARSD_PYTHON_CONFIG || 'python3-config';
const run = (...args) => execFileSync(config, args, { encoding: 'utf8' }).trim();
const words = (s) => s.split(/\s+/).filter(Boolean);

function libraryPath() {
  // The exact shared library, so the addon can re-open it with RTLD_GLOBAL before
  // initialising (Python's own extension modules resolve their symbols against it).
  const prefix = run('--prefix');
  const python = process.env.GEARSD_PYTHON || path.join(prefix, 'bin', 'python3');
  const code = 'import sysconfig as s, os;' +
    "print(os.path.join(s.get_config_var('LIBDIR'), s.get_config_var('INSTSONAME') or s.get_config_var('LDLIBRARY')))";
  return execFileSync(python, ['-c', code], { encoding: 'utf8' }).trim();
}

switch (process.argv[2]) {
  case '--includes':
    console.log([...new Set(words(run('--includes')).map((f) => f.replace(/^-I/, '')))].join(' '));
    break;
  case '--ldflags': {
    const flags = words(run('--embed', '--ldflags'));
    const libdirs = flags.filter((f) => f.startsWith('-L')).map((f) => f.slice(2));
    const rpaths = [...new Set(libdirs)].map((d) => `-Wl,-rpath,${d}`);
    console.log([...new Set([...flags, ...rpaths])].join(' '));
    break;
  }
  case '--library':
    console.log(libraryPath());
    break;
  default:
    console.error('usage: python-config.mjs --includes|--ldflags|--library');
    process.exit(2);
}
