// The `syntax` notation of command table entries, turned into Redis 7's argument trees
// (COMMAND DOCS "arguments"), which redis-cli turns back into its argument hints.
//
// The notation is the one of Redis's documentation:
//   key value [NX | XX] [GET] [EX seconds | PX milliseconds | KEEPTTL]
//   key [key ...]        [MATCH pattern] [COUNT count]        <LEFT | RIGHT>
// Words without lower-case letters are tokens (typed literally); other words are
// placeholders. [..] is optional, <..> and (..) are required groups, | separates
// alternatives (a oneof), several elements make a block, and `x [x ...]` makes x repeat.
// A token at the head of a group alternative takes the rest of it as its argument(s);
// elsewhere it takes the placeholders and required groups that follow it.
//
// Two annotations give what the notation cannot say; displaySyntax() strips them:
//   increment:double   a placeholder's type, when the name alone does not tell it
//                      (string integer double key pattern unix-time; see TYPE_BY_NAME)
//   expiration=[...]   the name of a group (Redis names oneofs and blocks; unnamed ones
//                      get one made of their parts' names)

export type ArgType = 'string' | 'integer' | 'double' | 'key' | 'pattern' | 'unix-time' | 'pure-token' | 'oneof' | 'block';

export interface DocArg {
  name: string;
  type: ArgType;
  token?: string;
  optional?: boolean;
  multiple?: boolean;
  multipleToken?: boolean;
  /** For keys: which of the command's key specs describes it. */
  keySpecIndex?: number;
  arguments?: DocArg[];
}

const LEAF_TYPES = new Set(['string', 'integer', 'double', 'key', 'pattern', 'unix-time']);

// What Redis's own argument lists say for these names most of the time.
const TYPE_BY_NAME: Record<string, ArgType> = {
  key: 'key', keys: 'key', newkey: 'key', destination: 'key', source: 'key', destkey: 'key', sourcekey: 'key',
  src: 'key', dst: 'key', key1: 'key', key2: 'key',
  pattern: 'pattern',
  'unix-time-seconds': 'unix-time', 'unix-time-milliseconds': 'unix-time',
  count: 'integer', seconds: 'integer', milliseconds: 'integer', offset: 'integer', index: 'integer',
  start: 'integer', end: 'integer', stop: 'integer', numkeys: 'integer', db: 'integer', decrement: 'integer',
  increment: 'integer', 'client-id': 'integer', cursor: 'integer', port: 'integer', protover: 'integer',
  limit: 'integer', rank: 'integer', 'num-matches': 'integer', len: 'integer', ttl: 'integer', slot: 'integer',
  numreplicas: 'integer', 'destination-db': 'integer', weight: 'integer', version: 'integer', ms: 'integer',
  timeout: 'double', latitude: 'double', longitude: 'double', radius: 'double', score: 'double',
  width: 'double', height: 'double',
};

// ---- lexing and the raw tree ---------------------------------------------------------------

type Lexeme = { kind: 'open'; close: string; name?: string } | { kind: 'close' | 'bar' | 'ellipsis' | 'word'; text: string };

const OPENERS: Record<string, string> = { '[': ']', '<': '>', '(': ')' };

function lex(syntax: string): Lexeme[] {
  const out: Lexeme[] = [];
  const re = /\s*(?:([A-Za-z0-9_-]+)=([[<(])|([[<(])|([\]>)])|(\|)|(\.\.\.)|([^\s[\]<>()|]+))/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < syntax.length && (m = re.exec(syntax))) {
    if (m[2]) out.push({ kind: 'open', close: OPENERS[m[2]], name: m[1] });
    else if (m[3]) out.push({ kind: 'open', close: OPENERS[m[3]] });
    else if (m[4]) out.push({ kind: 'close', text: m[4] });
    else if (m[5]) out.push({ kind: 'bar', text: '|' });
    else if (m[6]) out.push({ kind: 'ellipsis', text: '...' });
    else if (m[7]) out.push({ kind: 'word', text: m[7] });
  }
  if (syntax.slice(re.lastIndex).trim() !== '') throw new SyntaxError(`cannot read syntax at '${syntax.slice(re.lastIndex)}'`);
  return out;
}

/** A group as written: its alternatives, each a sequence of raw elements. */
interface RawGroup {
  kind: 'group';
  optional: boolean;
  name?: string;
  alts: RawElem[][];
}
type RawElem = RawGroup | { kind: 'word'; text: string } | { kind: 'ellipsis' };

function parseRaw(lexemes: Lexeme[]): RawElem[][] {
  let i = 0;
  const alternatives = (close: string | null): RawElem[][] => {
    const alts: RawElem[][] = [[]];
    while (i < lexemes.length) {
      const l = lexemes[i++];
      if (l.kind === 'close') {
        if (l.text !== close) throw new SyntaxError(`unexpected '${l.text}'`);
        return alts;
      }
      const seq = alts[alts.length - 1];
      if (l.kind === 'open') seq.push({ kind: 'group', optional: l.close === ']', name: l.name, alts: alternatives(l.close) });
      else if (l.kind === 'bar') alts.push([]);
      else if (l.kind === 'ellipsis') seq.push({ kind: 'ellipsis' });
      else seq.push({ kind: 'word', text: l.text });
    }
    if (close !== null) throw new SyntaxError(`missing '${close}'`);
    return alts;
  };
  const top = alternatives(null);
  if (top.length !== 1) throw new SyntaxError("'|' outside a group");
  return top;
}

// ---- from the raw tree to Redis's arguments -------------------------------------------------

const isToken = (w: string) => !/[a-z]/.test(w);

function leaf(word: string): DocArg {
  if (isToken(word)) return { name: word.toLowerCase(), type: 'pure-token', token: word };
  const colon = word.lastIndexOf(':');
  if (colon > 0 && LEAF_TYPES.has(word.slice(colon + 1))) {
    return { name: word.slice(0, colon), type: word.slice(colon + 1) as ArgType };
  }
  return { name: word, type: TYPE_BY_NAME[word] ?? 'string' };
}

function sameShape(a: DocArg, b: DocArg): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The elements repeated by a `[x ...]` group, or null when the group is not one. */
function repetitionOf(e: RawElem): RawElem[] | null {
  if (e.kind !== 'group' || !e.optional || e.alts.length !== 1) return null;
  const seq = e.alts[0];
  return seq.length >= 2 && seq[seq.length - 1].kind === 'ellipsis' ? seq.slice(0, -1) : null;
}

/**
 * Converts one sequence. `headed` is true for a group alternative, where a leading token
 * takes all the rest of the sequence.
 */
function convertSequence(seq: RawElem[], headed: boolean): DocArg[] {
  // Pass 1: elements, with `x [x ...]` folded into a repeating x.
  const items: DocArg[] = [];
  for (const e of seq) {
    const rep = repetitionOf(e);
    if (rep) {
      const repeated = convertSequence(rep, false);
      const n = repeated.length;
      const prev = items.slice(items.length - n);
      if (n > 0 && prev.length === n && prev.every((p, k) => sameShape(p, repeated[k]))) {
        items.splice(items.length - n, n, n === 1 ? { ...prev[0], multiple: true } : { name: 'data', type: 'block', multiple: true, arguments: prev });
        continue;
      }
      // `TOKEN x [TOKEN x ...]`: the token repeats too.
      if (repeated.length === 1 && repeated[0].token && items.length >= 2) {
        const merged = attachToken(items[items.length - 2], [items[items.length - 1]]);
        if (sameShape(merged, repeated[0])) {
          items.splice(items.length - 2, 2, { ...merged, multiple: true, multipleToken: true });
          continue;
        }
      }
      // A bare `[x ...]`: zero or more x.
      if (repeated.length !== 1) throw new SyntaxError('a [x y ...] repetition must follow the x y it repeats');
      items.push({ ...repeated[0], optional: true, multiple: true });
      continue;
    }
    if (e.kind === 'ellipsis') throw new SyntaxError("'...' outside a [x ...] repetition");
    items.push(e.kind === 'word' ? leaf(e.text) : convertGroup(e));
  }
  // Pass 2: tokens take their arguments.
  if (headed && items.length > 1 && items[0].type === 'pure-token') {
    return [attachToken(items[0], items.slice(1))];
  }
  const out: DocArg[] = [];
  for (let k = 0; k < items.length; k++) {
    const it = items[k];
    if (it.type !== 'pure-token' || it.optional || it.multiple) {
      out.push(it);
      continue;
    }
    const args: DocArg[] = [];
    while (k + 1 < items.length && items[k + 1].type !== 'pure-token' && !items[k + 1].optional) args.push(items[++k]);
    out.push(args.length > 0 ? attachToken(it, args) : it);
  }
  return out;
}

/** A token with the argument(s) that follow it: one argument gets the token, several a block. */
function attachToken(token: DocArg, args: DocArg[]): DocArg {
  if (args.length === 1 && !args[0].token) return { ...args[0], token: token.token, name: args[0].name };
  return { name: token.name, type: 'block', token: token.token, arguments: args };
}

function convertGroup(g: RawGroup): DocArg {
  const alts = g.alts.map((a) => convertSequence(a, true));
  let arg: DocArg;
  if (alts.length === 1) {
    const only = alts[0];
    arg = only.length === 1 ? { ...only[0] } : { name: only.map((a) => a.name).join('-'), type: 'block', arguments: only };
  } else {
    const members = alts.map((a) => (a.length === 1 ? a[0] : { name: a.map((x) => x.name).join('-'), type: 'block' as const, arguments: a }));
    arg = { name: members.map((a) => a.name).join('-'), type: 'oneof', arguments: members };
  }
  if (g.name) arg.name = g.name;
  if (g.optional) {
    // `[[x]]` or an optional repeating x: still one argument.
    arg.optional = true;
  }
  return arg;
}

function assignKeySpecs(args: DocArg[], keySpecCount: number, next = { i: 0 }): void {
  for (const a of args) {
    if (a.type === 'key' && keySpecCount > 0) a.keySpecIndex = Math.min(next.i++, keySpecCount - 1);
    if (a.arguments) assignKeySpecs(a.arguments, keySpecCount, next);
  }
}

/** Parses a syntax string into Redis's argument list. Throws SyntaxError on a malformed one. */
export function parseSyntax(syntax: string, keySpecCount = 0): DocArg[] {
  const [top] = parseRaw(lex(syntax));
  const args = convertSequence(top, false);
  assignKeySpecs(args, keySpecCount);
  return args;
}

/** The syntax as users read it: annotations removed. */
export function displaySyntax(syntax: string): string {
  return syntax.replace(/\b[A-Za-z0-9_-]+=(?=[[<(])/g, '').replace(/:(string|integer|double|key|pattern|unix-time)\b/g, '');
}
