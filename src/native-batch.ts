// The pipelined fast path's queue: native commands of one client, decoded from one
// buffer, waiting to run together in a single native call (execBatch) under one
// acquisition of the server lock. See Server.dispatchRaw / runBatch.
//
// Each command is described in one Int32Array as [commandId, argc, start0, len0, ...],
// offsets into the request buffer, so no Buffer is made per argument.

import type { Client } from './client.js';
import type { CommandSpec } from './commands/spec.js';

export class NativeBatch {
  client: Client | null = null;
  buf: Buffer | null = null;
  count = 0;
  /** The first command not run yet: runBatch() may be re-entered (see there). */
  next = 0;
  specs: CommandSpec[] = [];
  /** Where each command's description starts in desc. */
  starts = new Int32Array(64);
  desc = new Int32Array(1024);
  private used = 0;

  /** Can this request join the queue (same client, same buffer)? */
  accepts(client: Client, buf: Buffer): boolean {
    return this.count === 0 || (this.client === client && this.buf === buf);
  }

  add(client: Client, buf: Buffer, spec: CommandSpec, offsets: Int32Array, argc: number): void {
    this.client = client;
    this.buf = buf;
    const need = this.used + 2 + 2 * argc;
    if (need > this.desc.length) {
      const grown = new Int32Array(Math.max(need, this.desc.length * 2));
      grown.set(this.desc.subarray(0, this.used));
      this.desc = grown;
    }
    if (this.count === this.starts.length) {
      const grown = new Int32Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.count] = this.used;
    this.specs[this.count] = spec;
    this.count++;
    const d = this.desc;
    d[this.used++] = spec.nativeId!;
    d[this.used++] = argc;
    for (let i = 0; i < 2 * argc; i++) d[this.used++] = offsets[i];
  }

  /** The arguments of queued command i as Buffers (views of the request buffer). */
  argv(i: number): Buffer[] {
    const d = this.desc;
    const at = this.starts[i];
    const argc = d[at + 1];
    const out = new Array<Buffer>(argc);
    for (let j = 0; j < argc; j++) out[j] = this.buf!.subarray(d[at + 2 + 2 * j], d[at + 2 + 2 * j] + d[at + 3 + 2 * j]);
    return out;
  }

  reset(): void {
    this.client = null;
    this.buf = null;
    this.count = 0;
    this.next = 0;
    this.used = 0;
    this.specs.length = 0;
  }
}
