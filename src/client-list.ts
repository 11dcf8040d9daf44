// CLIENT LIST / CLIENT INFO lines, field for field as Redis 7.0 writes them. Fields that
// belong to other families (subscriptions, MULTI) come from Server.hooks.clientInfo;
// buffer figures are gearsd's own (Node's socket buffer stands for Redis's reply list).

import type { Client } from './client.js';
import type { Server } from './server.js';

function fdOf(client: Client): number {
  const handle = (client.socket as unknown as { _handle?: { fd?: number } })._handle;
  return handle?.fd ?? -1;
}

export function clientFlags(server: Server, client: Client): string {
  let flags = server.hooks.clientInfo?.(client).flags ?? '';
  if (client.blocked) flags += 'b';
  if (client.closeAfterReply) flags += 'c';
  if (client.noEvict) flags += 'e';
  return flags || 'N';
}

export function clientInfoLine(server: Server, client: Client): string {
  const now = Math.floor(Date.now() / 1000);
  const extra = server.hooks.clientInfo?.(client) ?? {};
  const omem = client.outBytes + client.socket.writableLength;
  const qbuf = client.parser?.bufferedBytes ?? 0;
  return (
    `id=${client.id} addr=${client.addr} laddr=${client.laddr} fd=${fdOf(client)} name=${client.name}` +
    ` age=${now - Math.floor(client.createdAt / 1000)} idle=${now - Math.floor(client.lastInteraction / 1000)}` +
    ` flags=${clientFlags(server, client)} db=${client.db} sub=${extra.sub ?? 0} psub=${extra.psub ?? 0} ssub=${extra.ssub ?? 0}` +
    ` multi=${extra.multi ?? -1} qbuf=${qbuf} qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0` +
    ` omem=${omem} tot-mem=${omem + qbuf} events=${client.socket.writableNeedDrain ? 'rw' : 'r'} cmd=${client.lastCommand}` +
    ` user=default redir=-1 resp=2`
  );
}

/** Client types as CLIENT LIST TYPE / CLIENT KILL TYPE name them; null for an unknown one. */
export function clientTypeMatcher(name: string): ((c: Client) => boolean) | null {
  switch (name.toLowerCase()) {
    case 'normal':
      return (c) => !c.pubsub;
    case 'pubsub':
      return (c) => c.pubsub;
    case 'master':
    case 'replica':
    case 'slave':
      return () => false;
    default:
      return null;
  }
}
