# The Python half of the Gears API: GearsBuilder (GB), the operations RedisGears composes in
# Python from the native step vocabulary (aggregate, count, sort, avg...), atomic(), and the
# globals every RG.PYEXECUTE session starts with (GEARS_API.md §4).
#
# The builder only records steps; gears._run (native) turns them into a plan and runs it on an
# execution thread. Argument checks raise gears.error with RedisGears' texts, word for word.

import builtins as _builtins
import copy as _copy
import operator as _operator
import time as _time
import types as _types

import gears as _gears
import gears_async as _async

_error = _gears.error

_READERS = ('KeysReader', 'KeysOnlyReader', 'StreamReader', 'PythonReader', 'ShardsIDReader', 'CommandReader')


def _one_function(op, args):
    if len(args) != 1:
        raise _error('wrong number of args to %s function' % op)
    if not isinstance(args[0], _types.FunctionType):
        raise _error('%s argument must be a function' % op)
    return args[0]


def _two_functions(op, args):
    if len(args) != 2:
        raise _error('wrong number of args to %s function' % op)
    extractor, reducer = args
    if not isinstance(extractor, _types.FunctionType):
        raise _error('%s extractor argument must be a function' % op)
    if not isinstance(reducer, _types.FunctionType):
        raise _error('%s reducer argument must be a function' % op)
    return extractor, reducer


def _keys_only_reader_args(pattern='*', count=1000, noScan=False, patternGenerator=None):
    # The signature is the API: a `pattern=` keyword or any other keyword (mode=...) is a
    # TypeError, as with RedisGears' KeysOnlyReader.
    return (pattern, count, noScan, patternGenerator)


def _fresh(zero):
    return _copy.deepcopy(zero)


def _identity(x):
    '''the record is its own key (the step loop knows this function and skips the call)'''
    return x


# run()'s and register()'s convertToStr steps. One function each for every plan, so the plan
# builder can recognise them and run them as native code (python/record_str.h); each keeps the
# name its plan step always showed.
_to_str = lambda x: str(x)
_to_str.__qualname__ = 'GearsBuilder.run.<locals>.<lambda>'
_to_str_on_event = lambda x: str(x)
_to_str_on_event.__qualname__ = 'GearsBuilder.register.<locals>.<lambda>'


class GearsBuilder():
    '''Builds a Gears pipeline: GB(reader).map(...).filter(...).run() or .register().'''

    def __init__(self, reader='KeysReader', defaultArg='*', desc=None):
        if not _gears._in_gears_thread():
            raise _error('Can not create a gearsCtx on a python created thread')
        if not isinstance(reader, str):
            raise _error('reader argument must be a string')
        if desc is not None and not isinstance(desc, str):
            raise _error('desc argument must be a string')
        if reader not in _READERS:
            raise _error('The given reader does not exists')
        self.realReader = reader
        self.reader = 'PythonReader' if reader in ('KeysOnlyReader', 'ShardsIDReader') else reader
        self.desc = desc
        self.defaultArg = defaultArg
        self._steps = []
        _gears._new_plan()

    # ---- the native step vocabulary -----------------------------------------------------

    def map(self, *args):
        '''map(f): each record r becomes f(r)'''
        self._steps.append(('map', _one_function('map', args)))
        return self

    def flatmap(self, *args):
        '''flatmap(f): a list returned by f(r) becomes one record per element'''
        self._steps.append(('flatmap', _one_function('flatmap', args)))
        return self

    def filter(self, *args):
        '''filter(f): keeps the records for which f(r) is true'''
        self._steps.append(('filter', _one_function('filter', args)))
        return self

    def foreach(self, *args):
        '''foreach(f): calls f(r) for its side effects; r goes on'''
        self._steps.append(('foreach', _one_function('foreach', args)))
        return self

    def accumulate(self, *args):
        '''accumulate(f): a = f(a, r) over all records (a starts as None); emits a'''
        self._steps.append(('accumulate', _one_function('accumulate', args)))
        return self

    def localgroupby(self, *args):
        '''localgroupby(extractor, reducer): per key k = extractor(r), a = reducer(k, a, r)'''
        self._steps.append(('localgroupby',) + _two_functions('groupby', args))
        return self

    def groupby(self, *args):
        '''groupby(extractor, reducer): localgroupby after moving each key to one shard'''
        self._steps.append(('groupby',) + _two_functions('groupby', args))
        return self

    def batchgroupby(self, *args):
        '''batchgroupby(extractor, reducer): per key, reducer(k, [records])'''
        self._steps.append(('batchgroupby',) + _two_functions('batchgroupby', args))
        return self

    def collect(self, *args):
        '''collect(): gathers the records on the shard that started the execution'''
        if args:
            raise _error('wrong number of args to collect function')
        self._steps.append(('collect',))
        return self

    def repartition(self, *args):
        '''repartition(f): moves each record to the shard owning f(r)'''
        self._steps.append(('repartition', _one_function('repartition', args)))
        return self

    def limit(self, *args):
        '''limit(length, start=0): passes the records at positions [start, start + length)'''
        if len(args) < 1 or len(args) > 2:
            raise _error('wrong number of args to limit function')
        for a in args:
            if not isinstance(a, int):
                raise _error('limit argument must be a number')
        self._steps.append(('limit', args[0], args[1] if len(args) > 1 else 0))
        return self

    # ---- operations composed from the vocabulary ------------------------------------------
    # Falsy accumulators (None, 0, [], {}) are replaced by a fresh copy of the zero value, as
    # RedisGears does.

    def aggregate(self, zero, seqOp, combOp):
        '''aggregate(zero, seqOp, combOp): seqOp per shard, then combOp over the shards' results'''
        self.accumulate(lambda a, r: seqOp(a if a else _fresh(zero), r))
        self.collect()
        self.accumulate(lambda a, r: combOp(a if a else _fresh(zero), r))
        return self

    def aggregateby(self, extractor, zero, seqOp, combOp):
        '''aggregateby(extractor, zero, seqOp, combOp): aggregate per key; emits {'key', 'value'}'''
        # A Python function is called directly (one frame less per record); anything else
        # callable (a builtin such as len) is wrapped, as the step takes functions only.
        by = extractor if isinstance(extractor, _types.FunctionType) else (lambda r: extractor(r))
        self.localgroupby(by, lambda k, a, r: seqOp(k, a if a else _fresh(zero), r))
        self.groupby(lambda r: r['key'], lambda k, a, r: combOp(k, a if a else _fresh(zero), r['value']))
        return self

    def count(self):
        '''count(): the number of records (no record at all for an empty input)'''
        self.accumulate(lambda a, r: 1 + (a if a else 0))
        self.collect()
        self.accumulate(lambda a, r: r + (a if a else 0))
        return self

    def countby(self, extractor=_identity):
        '''countby(extractor): {'key': k, 'value': n} per key'''
        # aggregateby(extractor, 0, 1 + a, r + a) with its zero folded into the reducers: the
        # same records in the same order, one Python call per record instead of two.
        by = extractor if isinstance(extractor, _types.FunctionType) else (lambda r: extractor(r))
        self.localgroupby(by, lambda k, a, r: (a or 0) + 1)
        self.groupby(lambda r: r['key'], lambda k, a, r: (a or 0) + r['value'])
        return self

    def sort(self, reverse=True):
        '''sort(reverse=True): all records in one sorted run'''
        # Appending in place keeps this linear; the records and their order are RedisGears'.
        self.aggregate([], lambda a, r: a.append(r) or a, lambda a, r: a.extend(r) or a)
        self.map(lambda r: sorted(r, reverse=reverse))
        self.flatmap(lambda r: r)
        return self

    def distinct(self):
        '''distinct(): each distinct record once'''
        self.aggregate(set(), lambda a, r: a.add(r) or a, lambda a, r: a.update(r) or a)
        return self.flatmap(lambda x: list(x))

    def avg(self, extractor=lambda x: float(x)):
        '''avg(extractor): the mean of extractor(r)'''
        self.map(extractor)
        self.aggregate((0, 0), lambda a, r: (a[0] + r, a[1] + 1), lambda a, r: (a[0] + r[0], a[1] + r[1]))
        return self.map(lambda x: x[0] / x[1])

    # ---- actions -------------------------------------------------------------------------

    def run(self, arg=None, convertToStr=True, collect=True, **kargs):
        '''run(arg, convertToStr=True, collect=True, **readerArgs): runs the pipeline once'''
        _gears._check_run()
        if convertToStr:
            self.map(_to_str)
        if collect:
            self.collect()
        arg = arg if arg else self.defaultArg
        reader = self.realReader
        if reader == 'KeysReader':
            readerArgs = (_pattern(arg), _flag(kargs, 'noScan', False, 'exactMatch value is not boolean'),
                          _flag(kargs, 'readValue', True, 'readValue value is not boolean'))
        elif reader == 'KeysOnlyReader':
            readerArgs = _keys_only_reader_args(arg, **kargs)
        elif reader == 'StreamReader':
            fromId = kargs.get('fromId', '0-0')
            if not isinstance(fromId, str):
                raise _error('fromId argument must be a string')
            readerArgs = (_pattern(arg), fromId)
        elif reader == 'PythonReader':
            if not isinstance(arg, _types.FunctionType):
                raise _error('pyreader argument must be a function')
            readerArgs = (arg,)
        elif reader == 'ShardsIDReader':
            readerArgs = ()
        else:
            raise _error('Given reader do not support run or not exists')
        mode = kargs.get('mode', 'async')
        if not isinstance(mode, str):
            raise _error('execution mode must be a string')
        if mode not in ('async', 'async_local'):
            raise _error('unknown execution mode')
        # an awaitable: `await GB().run()` in a coroutine gives [[results], [errors]]
        return _gears._run(reader, self.desc, self._steps, readerArgs, mode)

    def register(self, prefix='*', convertToStr=True, collect=True, **kargs):
        '''register(prefix='*', convertToStr=True, collect=True, **args): runs the pipeline on
        every matching event, once the script has succeeded; returns the registration id'''
        if convertToStr:
            self.map(_to_str_on_event)
        if collect:
            self.collect()
        kargs['prefix'] = prefix
        if 'regex' in kargs:
            _gears.log('Using regex argument with register is deprecated and missleading, use prefix instead.',
                       level='warning')
            kargs['prefix'] = kargs['regex']
        mode, onRegistered, readerArgs = _register_args(self.realReader, kargs)
        return _gears._register(self.realReader, self.desc, self._steps, mode, onRegistered, readerArgs)


# ---- register()'s arguments, checked in RedisGears' order with its texts ---------------------

_KEY_TYPES = ('empty', 'string', 'list', 'hash', 'set', 'zset', 'module', 'stream')
_POLICIES = ('continue', 'abort', 'retry')


def _register_args(reader, kargs):
    mode = kargs.get('mode', 'async')
    if not isinstance(mode, str):
        raise _error('execution mode must be a string')
    if mode not in ('async', 'sync', 'async_local'):
        raise _error('unknown execution mode')
    onRegistered = kargs.get('onRegistered')
    if onRegistered is not None and not isinstance(onRegistered, _types.FunctionType):
        raise _error('OnRegistered argument must be a function')
    if reader == 'CommandReader':
        return mode, onRegistered, _command_args(kargs)
    prefix = kargs['prefix']
    if not isinstance(prefix, str):
        raise _error('regex argument must be a string')
    if reader == 'KeysReader':
        return mode, onRegistered, _keys_args(prefix, kargs)
    if reader == 'StreamReader':
        return mode, onRegistered, _stream_args(prefix, kargs, mode)
    raise _error('given reader does not exists or does not support register')


def _names(kargs, name, notIterable, notString):
    '''an iterable of str, or None (absent or None: no filter)'''
    value = kargs.get(name)
    if value is None:
        return None
    try:
        items = iter(value)
    except TypeError:
        raise _error(notIterable) from None
    names = []
    for item in items:
        if not isinstance(item, str):
            raise _error(notString)
        names.append(item)
    return names


def _keys_args(prefix, kargs):
    eventTypes = _names(kargs, 'eventTypes', 'given eventTypes is not iterable', 'given event type is not string')
    keyTypes = _names(kargs, 'keyTypes', 'given keyTypes is not iterable', 'given key type is not string')
    for t in keyTypes or ():
        if t not in _KEY_TYPES:
            raise _error('unknown key type')
    readValue = kargs.get('readValue', True)
    if not isinstance(readValue, bool):
        raise _error('readValue is not boolean')
    commands = _names(kargs, 'commands', 'given commands is not iterable', 'given command type is not string')
    return (prefix, eventTypes, keyTypes, readValue, commands or None)


def _count(kargs, name, default, message):
    value = kargs.get(name, default)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return _operator.index(value)
    except TypeError:
        raise _error(message) from None


def _stream_args(prefix, kargs, mode):
    batch = _count(kargs, 'batch', 1, 'batch argument must be a number')
    duration = _count(kargs, 'duration', 0, 'duration argument must be a number')
    policy = kargs.get('onFailedPolicy', 'continue')
    if not isinstance(policy, str):
        raise _error('onFailedPolicy must be a string (Continue/Abort/Retry)')
    policy = policy.lower()
    if policy not in _POLICIES:
        raise _error('onFailedPolicy must be Continue/Abort/Retry')
    if mode == 'sync' and policy != 'continue':
        raise _error('ExecutionMode sync can only be combined with OnFailedPolicy Continue')
    retryInterval = _count(kargs, 'onFailedRetryInterval', 1, 'retryInterval argument must be a number')
    trimStream = kargs.get('trimStream', True)
    if not isinstance(trimStream, bool):
        raise _error('pyTrimmStream argument must be a boolean')
    return (prefix, batch, duration, policy, retryInterval, trimStream)


def _command_args(kargs):
    def text(name, message):
        if name in kargs and not isinstance(kargs[name], str):
            raise _error(message)
        return kargs.get(name)
    trigger = text('trigger', 'trigger argument is not string')
    inorder = kargs.get('inorder', False)
    if not isinstance(inorder, bool):
        raise _error('inorder argument is be boolean')
    keyprefix = text('keyprefix', 'keyprefix argument is not string')
    hook = text('hook', 'hook argument is not string')
    if trigger is not None:
        if keyprefix is not None or hook is not None:
            raise _error('trigger argument can not be given with keyprefix or hook')
    elif hook is None:
        raise _error('no trigger or hook argument was given')
    return (trigger, hook, keyprefix, inorder)


def _pattern(arg):
    if not isinstance(arg, str):
        raise _error('regex argument must be a string')
    return arg


def _flag(kargs, name, default, message):
    value = kargs.get(name, default)
    if not isinstance(value, bool):
        raise _error(message)
    return value


GB = GearsBuilder


class _Atomic():
    '''with atomic(): the server lock is held for the whole block'''

    def __enter__(self):
        _gears._atomic_enter()
        return self

    def __exit__(self, *exc):
        _gears._atomic_exit()
        return False


def atomic():
    '''atomic(): a context manager holding the server lock for its block'''
    return _Atomic()


def gearsConfigGet(key, default=None):
    '''gearsConfigGet(key, default=None): configGet(key), or default when it is None'''
    value = _gears.configGet(key)
    return value if value is not None else default


# time.sleep in a step must end when the execution is aborted, and CPython's cannot be cut
# short on a thread other than the main one; the engine's wait can (engine/hooks.cc).
_time.sleep = _gears._abortable_sleep(_time.sleep)


def _deprecated(old, new, target):
    def deprecated(*args, **kargs):
        _gears.log('%s is deprecated, use %s instead' % (old, new), level='warning')
        return target(*args, **kargs)
    deprecated.__name__ = old
    return deprecated


_gears._identity = _identity
_gears._to_str = _to_str
_gears._to_str_on_event = _to_str_on_event

# The gears module offers the whole API, Python half included.
for _name, _value in (('GearsBuilder', GearsBuilder), ('GB', GB), ('atomic', atomic),
                      ('gearsConfigGet', gearsConfigGet),
                      ('createFuture', _async.createFuture), ('setFutureResults', _async.setFutureResults),
                      ('setFutureException', _async.setFutureException), ('runCoroutine', _async.runCoroutine)):
    setattr(_gears, _name, _value)

_SESSION_NAMES = {
    'GB': GB,
    'GearsBuilder': GearsBuilder,
    'execute': _gears.execute,
    'atomic': atomic,
    'log': _gears.log,
    'configGet': _gears.configGet,
    'gearsConfigGet': gearsConfigGet,
    'hashtag': _gears.hashtag,
    'flat_error': _gears.flat_error,
    'isAsyncAllow': _gears.isAsyncAllow,
    'gearsFuture': _gears.gearsFuture,
    'createFuture': _async.createFuture,
    'setFutureResults': _async.setFutureResults,
    'setFutureException': _async.setFutureException,
    'runCoroutine': _async.runCoroutine,
    'call_next': _gears.call_next,
    'override_reply': _gears.override_reply,
    'get_command': _gears.get_command,
    'Log': _deprecated('Log', 'log', _gears.log),
    'ConfigGet': _deprecated('ConfigGet', 'configGet', _gears.configGet),
    'GearsConfigGet': _deprecated('GearsConfigGet', 'gearsConfigGet', gearsConfigGet),
}


def _new_session_globals():
    g = dict(_SESSION_NAMES)
    g['__builtins__'] = _builtins
    g['__name__'] = 'not_main'
    return g
