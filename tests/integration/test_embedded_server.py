"""The embedded store's server: a stale one is found by the pid, start time and folder the store
recorded, never by a record that names someone else's server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from graph.embedded_server import RECORD, start_server, stop_stale_server


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
