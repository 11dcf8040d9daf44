// CLIENT LIST / CLIENT INFO lines, field for field as Redis 7.0 writes them. Buffer figures
// are gearsd's own (Node's socket buffer stands for Redis's reply list).

import type { Client } from './client.js';
import type { Server } from './server.js';

function fdOf(client: Client): number {
  const handle = (client.socket as unknown as { _handle?: { fd?: number } })._handle;
  return handle?.fd ?? -1;
}

/** Redis's flag letters, in its order; N when none applies. */
export function clientFlags(client: Client): string {
  let flags = '';
  if (client.subscribed) flags += 'P';
  if (client.multi) flags += 'x';
  if (client.blocked) flags += 'b';
  if (client.closeAfterReply) flags += 'c';
  if (client.noEvict) flags += 'e';
  return flags || 'N';
}

export function clientInfoLine(client: Client): string {
  const now = Math.floor(Date.now() / 1000);
  const omem = client.outBytes + client.socket.writableLength;
  const qbuf = client.parser?.bufferedBytes ?? 0;
  return (
    `id=${client.id} addr=${client.addr} laddr=${client.laddr} fd=${fdOf(client)} name=${client.name}` +
    ` age=${now - Math.floor(client.createdAt / 1000)} idle=${now - Math.floor(client.lastInteraction / 1000)}` +
    ` flags=${clientFlags(client)} db=${client.db} sub=${client.channels.size} psub=${client.patterns.size} ssub=${client.shardChannels.size}` +
    ` multi=${client.multi ? client.multi.queue.length : -1} qbuf=${qbuf} qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0` +
    ` omem=${omem} tot-mem=${omem + qbuf} events=${client.socket.writableNeedDrain ? 'rw' : 'r'} cmd=${client.lastCommand}` +
    ` user=default redir=-1 resp=${client.resp3 ? 3 : 2}`
  );
}

/** Client types as CLIENT LIST TYPE / CLIENT KILL TYPE name them; null for an unknown one. */
export function clientTypeMatcher(name: string): ((c: Client) => boolean) | null {
  switch (name.toLowerCase()) {
    case 'normal':
      return (c) => !c.subscribed;
    case 'pubsub':
      return (c) => c.subscribed;
    case 'master':
    case 'replica':
    case 'slave':
      return () => false;
    default:
      return null;
  }
}
