# Gears' event loop: where coroutines run (GEARS_API.md §4.4, §4.6).
#
# One asyncio loop for the process, run by one native thread the engine starts
# (engine/async_steps.cc). A step whose callback returns a coroutine holds its record; the engine
# hands the coroutine here, and the pool thread goes back to the pool. When the coroutine ends,
# its result (or exception) settles the step's future, which wakes the execution.
#
# What runs here takes the server lock only through execute() and atomic(), like any execution
# thread. Each coroutine runs in a task that carries its execution's context (database,
# session) in a context variable, so execute() and run() inside it act for that execution.

import asyncio as _asyncio
import contextvars as _contextvars

import gears as _gears

# The running task's context (a capsule the engine reads); None outside Gears' tasks.
_task_ctx = _contextvars.ContextVar('gears_task_ctx', default=None)

_loop = _asyncio.new_event_loop()


class GearsFuture(_asyncio.Future):
    '''An asyncio future of Gears' loop; awaiting one inside atomic() is refused.'''

    def __await__(self):
        if _gears._in_atomic():
            raise Exception('await is not allow inside atomic block')
        return (yield from super().__await__())

    __iter__ = __await__


# Every future the loop makes (asyncio.sleep's included) is a GearsFuture, so the atomic()
# check covers them all.
_loop.create_future = lambda: GearsFuture(loop=_loop)


def _run_loop():
    '''The loop thread's body (never returns).'''
    _asyncio.set_event_loop(_loop)
    while True:
        try:
            _loop.run_forever()
        except BaseException as e:  # SystemExit from a task must not end the loop
            _gears.log('event loop: %s' % e, level='warning')


async def _drive(coro, fut, ctx, delay):
    _task_ctx.set(ctx)
    try:
        if delay:
            await _asyncio.sleep(delay)
        res = await coro
    except Exception as e:
        if fut is not None:
            try:
                fut.continueFailed(e)
            except Exception as e1:
                _gears.log(str(e1))
        return
    if fut is not None:
        try:
            fut.continueRun(res)
        except Exception as e1:
            _gears.log(str(e1))


def _drain():
    '''On the loop: starts the coroutines the engine queued since the last drain.'''
    for coro, fut, ctx, delay in _gears._take_starts():
        _loop.create_task(_drive(coro, fut, ctx, delay))


def _kick():
    '''Any thread: wake the loop to drain the queued coroutines.'''
    _loop.call_soon_threadsafe(_drain)


def _settle(f, value, failed):
    if not f.done():
        if failed:
            f.set_exception(value)
        else:
            f.set_result(value)


def createFuture():
    '''createFuture(): a new future of Gears' event loop'''
    return _loop.create_future()


def setFutureResults(f, res):
    '''setFutureResults(f, res): completes f with res (any thread)'''
    _loop.call_soon_threadsafe(_settle, f, res, False)


def setFutureException(f, exception):
    '''setFutureException(f, e): fails f with e, wrapped in Exception when it is not one (any thread)'''
    if not isinstance(exception, Exception):
        exception = Exception(str(exception))
    _loop.call_soon_threadsafe(_settle, f, exception, True)


def runCoroutine(cr, f=None, delay=0):
    '''runCoroutine(cr, f=None, delay=0): runs cr on the loop after delay seconds, then
    f.continueRun(result) or f.continueFailed(exception)'''
    _gears._run_coroutine(cr, f, delay)
