// Server log in Redis's line format: "pid:M 26 Nov 2026 01:17:14.123 * message".

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning' | 'nothing';

const LEVELS: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 };
const MARKS: Record<Exclude<LogLevel, 'nothing'>, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

let threshold = LEVELS.notice;
let sink: (line: string) => void = (line) => process.stdout.write(line + '\n');

export function isLogLevel(s: string): s is LogLevel {
  return Object.hasOwn(LEVELS, s);
}

export function setLogLevel(level: LogLevel): void {
  threshold = LEVELS[level];
}

export function setLogSink(fn: (line: string) => void): void {
  sink = fn;
}

function stamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

export function log(level: Exclude<LogLevel, 'nothing'>, message: string): void {
  if (LEVELS[level] < threshold) return;
  sink(`${process.pid}:M ${stamp(new Date())} ${MARKS[level]} ${message}`);
}
