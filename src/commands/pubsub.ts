// Pub/sub commands; the registry and delivery are in src/pubsub.ts.

import type { CommandCall } from './spec.js';
import { doc, family, NO_KEYS, tsCommand } from './spec.js';
import * as reply from '../resp/reply.js';

const subscribe = ({ server, client, argv }: CommandCall) => server.pubsub.subscribe(server, client, 'channel', argv.slice(1));
const unsubscribe = ({ server, client, argv }: CommandCall) => server.pubsub.unsubscribe(server, client, 'channel', argv.slice(1));
const psubscribe = ({ server, client, argv }: CommandCall) => server.pubsub.subscribe(server, client, 'pattern', argv.slice(1));
const punsubscribe = ({ server, client, argv }: CommandCall) => server.pubsub.unsubscribe(server, client, 'pattern', argv.slice(1));
const ssubscribe = ({ server, client, argv }: CommandCall) => server.pubsub.subscribe(server, client, 'shard', argv.slice(1));
const sunsubscribe = ({ server, client, argv }: CommandCall) => server.pubsub.unsubscribe(server, client, 'shard', argv.slice(1));

function publish({ server, client, argv }: CommandCall): void {
  server.reply(client, reply.integer(server.pubsub.publish(server, argv[1], argv[2])));
}

function spublish({ server, client, argv }: CommandCall): void {
  server.reply(client, reply.integer(server.pubsub.publish(server, argv[1], argv[2], true)));
}

function channels(kind: 'channel' | 'shard') {
  return ({ server, client, argv }: CommandCall) => {
    if (argv.length > 3) return server.reply(client, reply.error(`ERR wrong number of arguments for 'pubsub|${kind === 'shard' ? 'shardchannels' : 'channels'}' command`));
    server.reply(client, reply.array(server.pubsub.activeChannels(kind, argv[2]).map(reply.bulk)));
  };
}

function numsub(kind: 'channel' | 'shard') {
  return ({ server, client, argv }: CommandCall) => {
    const items = argv.slice(2).flatMap((ch) => [reply.bulk(ch), reply.integer(server.pubsub.subscribers(kind, ch))]);
    server.reply(client, reply.array(items));
  };
}

function numpat({ server, client }: CommandCall): void {
  server.reply(client, reply.integer(server.pubsub.patternCount()));
}

const HELP_LINES = [
  'PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CHANNELS [<pattern>]',
  '    Return the currently active channels matching a <pattern> (default: \'*\').',
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  '    Return the currently active shard level channels matching a <pattern> (default: \'*\').',
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
  'HELP',
  '    Prints this help.',
];

function help({ server, client }: CommandCall): void {
  server.reply(client, reply.array(HELP_LINES.map(reply.simple)));
}

const PUBSUB_FLAGS = 'pubsub noscript loading stale';

export const pubsubCommands = family('pubsub', [
  tsCommand('subscribe', -2, `${PUBSUB_FLAGS} sentinel`, NO_KEYS, doc('2.0.0', 'channel [channel ...]', 'Listens for messages published to channels.', 'O(N) where N is the number of channels to subscribe to.'), subscribe),
  tsCommand('unsubscribe', -1, `${PUBSUB_FLAGS} sentinel`, NO_KEYS, doc('2.0.0', '[channel [channel ...]]', 'Stops listening to messages posted to channels.', 'O(N) where N is the number of channels to unsubscribe.'), unsubscribe),
  tsCommand('psubscribe', -2, `${PUBSUB_FLAGS} sentinel`, NO_KEYS, doc('2.0.0', 'pattern [pattern ...]', 'Listens for messages published to channels that match one or more patterns.', 'O(N) where N is the number of patterns to subscribe to.'), psubscribe),
  tsCommand('punsubscribe', -1, `${PUBSUB_FLAGS} sentinel`, NO_KEYS, doc('2.0.0', '[pattern [pattern ...]]', 'Stops listening to messages published to channels that match one or more patterns.', 'O(N) where N is the number of patterns to unsubscribe.'), punsubscribe),
  tsCommand('ssubscribe', -2, PUBSUB_FLAGS, [1, -1, 1], doc('7.0.0', 'shardchannel [shardchannel ...]', 'Listens for messages published to shard channels.', 'O(N) where N is the number of shard channels to subscribe to.'), ssubscribe),
  tsCommand('sunsubscribe', -1, PUBSUB_FLAGS, [1, -1, 1], doc('7.0.0', '[shardchannel [shardchannel ...]]', 'Stops listening to messages posted to shard channels.', 'O(N) where N is the number of shard channels to unsubscribe.'), sunsubscribe),
  tsCommand('publish', 3, 'pubsub loading stale fast may-replicate sentinel', NO_KEYS, doc('2.0.0', 'channel message', 'Posts a message to a channel.', 'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).'), publish),
  tsCommand('spublish', 3, 'pubsub loading stale fast may-replicate', [1, 1, 1], doc('7.0.0', 'shardchannel message', 'Posts a message to a shard channel.', 'O(N) where N is the number of clients subscribed to the receiving shard channel.'), spublish),
  tsCommand('pubsub', -2, '', NO_KEYS, doc('2.8.0', 'subcommand [argument ...]', 'A container for Pub/Sub commands.', 'Depends on subcommand.'), help, [
    tsCommand('pubsub|channels', -2, 'pubsub loading stale', NO_KEYS, doc('2.8.0', '[pattern]', 'Returns the active channels.', 'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)'), channels('channel')),
    tsCommand('pubsub|numsub', -2, 'pubsub loading stale', NO_KEYS, doc('2.8.0', '[channel [channel ...]]', 'Returns a count of subscribers to channels.', 'O(N) for the NUMSUB subcommand, where N is the number of requested channels'), numsub('channel')),
    tsCommand('pubsub|numpat', 2, 'pubsub loading stale', NO_KEYS, doc('2.8.0', '', 'Returns a count of unique pattern subscriptions.', 'O(1)'), numpat),
    tsCommand('pubsub|shardchannels', -2, 'pubsub loading stale', NO_KEYS, doc('7.0.0', '[pattern]', 'Returns the active shard channels.', 'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).'), channels('shard')),
    tsCommand('pubsub|shardnumsub', -2, 'pubsub loading stale', NO_KEYS, doc('7.0.0', '[shardchannel [shardchannel ...]]', 'Returns the count of subscribers of shard channels.', 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels'), numsub('shard')),
    tsCommand('pubsub|help', 2, 'loading stale', NO_KEYS, doc('6.2.0', '', 'Returns helpful text about the different subcommands.', 'O(1)'), help),
  ]),
]);
