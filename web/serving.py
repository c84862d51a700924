"""Serve the web app with waitress and stop gracefully on SIGTERM.

waitress alone stops its main loop at once on a signal, and a chat turn that is still
waiting for Rasa then never gets its answer written. Here SIGTERM (what docker, systemd
and the supervisor send) first closes the listening socket, so the load balancer moves
new requests elsewhere, then keeps serving the connections already in progress until
their answers are sent (at most `drain_s`), and only then exits.
"""
from __future__ import annotations

import logging
import signal
import threading
import time

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import create_server

log = logging.getLogger("omnishop.web")
POLL_S = 0.25


def _busy(socket_map: dict) -> int:
    """Connections with a request in progress or an answer not yet fully sent."""
    return sum(1 for channel in list(socket_map.values())
               if isinstance(channel, HTTPChannel) and (channel.requests or channel.total_outbufs_len))


def serve_until_terminated(app, host: str, port: int, threads: int, drain_s: float = 30.0) -> None:
    server = create_server(app, host=host, port=port, threads=threads)
    socket_map = server._map  # one listening socket: waitress's TcpWSGIServer (3.0, pinned) keeps its map here
    terminating = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: terminating.set())
    server.print_listen("Serving on http://{}:{}")
    try:
        while not terminating.is_set():
            server.asyncore.loop(timeout=POLL_S, map=socket_map, count=1)
    except KeyboardInterrupt:
        pass
    server.del_channel()  # stop accepting; connections already open keep being served
    server.socket.close()
    deadline = time.monotonic() + drain_s
    log.info("stopping: finishing %d request(s) in progress", _busy(socket_map))
    while _busy(socket_map) and time.monotonic() < deadline:
        server.asyncore.loop(timeout=POLL_S, map=socket_map, count=1)
    left = _busy(socket_map)
    if left:
        log.warning("stopping with %d request(s) unfinished after %.0f s", left, drain_s)
    server.task_dispatcher.shutdown()
    wasyncore.close_all(socket_map)
    log.info("stopped")
