"""The embedded store's redis client sends each query once: no socket timeout, no retry."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from graph.falkordb_store import FalkorDBStore, connect

SLOW = "UNWIND range(1, 3000000) AS x RETURN count(x) AS `{marker}`"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[FalkorDBStore]:
    opened = FalkorDBStore(tmp_path / "home")
    try:
        yield opened
    finally:
        opened.close()


class Monitor:
    """Every command the server receives, read through redis MONITOR on its own connection."""

    def __init__(self, socket: Path) -> None:
        self.seen: list[str] = []
        self._arrived = threading.Condition()
        self._client = redis.Redis(unix_socket_path=str(socket))
        self._monitor = self._client.monitor()
        self._monitor.__enter__()
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self) -> None:
        try:
            for command in self._monitor.listen():
                with self._arrived:
                    self.seen.append(command["command"])
                    self._arrived.notify_all()
        except (redis.RedisError, OSError, ValueError):
            pass  # the server stopped at the end of the test

    def wait_for(self, text: str) -> None:
        with self._arrived:
            assert self._arrived.wait_for(lambda: any(text in c for c in self.seen), timeout=60)

    def count(self, text: str) -> int:
        with self._arrived:
            return sum(text in command for command in self.seen)


def test_the_store_client_has_no_socket_timeout_and_no_retry(store: FalkorDBStore) -> None:
    client = store._redis
    assert client.connection_pool.connection_kwargs["socket_timeout"] is None
    connection = client.connection_pool.get_connection()
    try:
        assert connection.socket_timeout is None
        assert connection.retry.get_retries() == 0
    finally:
        client.connection_pool.release(connection)


def test_a_query_that_outlives_the_socket_timeout_is_sent_once(store: FalkorDBStore) -> None:
    """With a socket timeout forced (50 ms) on a query that runs longer, the client reports the
    timeout and does not send the query again (redis-py's defaults would send it 11 times)."""
    monitor = Monitor(store._server.socket)
    client = connect(store._server.socket, socket_timeout=0.05)
    graph = client.select_graph(store.current_graph())
    with pytest.raises(redis.TimeoutError):
        graph.ro_query(SLOW.format(marker="slow_once"))
    # Commands reach MONITOR in the order the server receives them: once this one is seen,
    # any re-sent copy of the slow query would have been seen before it.
    assert store.run("RETURN 1 AS after_the_timeout") == [{"after_the_timeout": 1}]
    monitor.wait_for("after_the_timeout")
    assert monitor.count("slow_once") == 1


def test_the_check_sees_re_sent_copies(store: FalkorDBStore) -> None:
    """The same check on a client that retries three times counts four copies: the monitor can
    see what the test above says is absent."""
    from falkordb import FalkorDB
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    monitor = Monitor(store._server.socket)
    client = FalkorDB(
        unix_socket_path=str(store._server.socket), socket_timeout=0.05, retry=Retry(NoBackoff(), 3)
    )
    with pytest.raises(redis.TimeoutError):
        client.select_graph(store.current_graph()).ro_query(SLOW.format(marker="slow_four"))
    store.run("RETURN 1 AS after_the_retries")
    monitor.wait_for("after_the_retries")
    assert monitor.count("slow_four") == 4
