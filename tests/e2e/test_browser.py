"""The network page in a real headless Chromium, offline.

Chromium is driven through the DevTools protocol over a pipe (``--remote-debugging-pipe``: JSON
messages separated by NUL bytes on file descriptors 3 and 4), so no websocket library and no
debugging port are needed. The network is cut three ways: a proxy that points nowhere, a host
resolver that resolves nothing, and the page's own Content-Security-Policy; and every request
the page makes is recorded and must stay on the machine (``file:``, ``data:``, ``about:``).

Set CHROMIUM to use another binary. Under CI=true a missing Chromium fails these tests.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from graph import analysis
from graph.falkordb_store import FalkorDBStore
from graph.load import build_rows, schema_statements
from graph.viz import NetworkData, render_page, write_html
from loaders.model import DocumentFacts
from tests.conftest import unavailable
from tests.integration.test_viz_store import EVIL, load_tiny_graph
from tests.unit.test_viz import bound_network

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")
TIMEOUT_S = 60.0
VIEWPORT = (1400, 900)


class CDPError(RuntimeError):
    pass


class Chromium:
    """A headless Chromium with one page, driven over the DevTools pipe."""

    def __init__(self, binary: str, profile: Path, log: Path) -> None:
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()
        # The child must see its pipe ends as fds 3 and 4. Copies above 9 make the dup2s below
        # real copies (a dup2 onto itself would keep close-on-exec) that cannot clobber each other.
        child_r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD_CLOEXEC, 10)
        for fd in (to_browser_r, from_browser_w):
            os.close(fd)
        args = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-features=Translate,MediaRouter,OptimizationHints",
            "--mute-audio",
            "--hide-scrollbars",
            f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}",
            f"--user-data-dir={profile}",
            "--proxy-server=127.0.0.1:9",
            "--proxy-bypass-list=<-loopback>",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        try:
            self.pid = os.posix_spawn(
                binary,
                args,
                os.environ,
                file_actions=[
                    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                    (
                        os.POSIX_SPAWN_OPEN,
                        1,
                        str(log),
                        os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                        0o644,
                    ),
                    (os.POSIX_SPAWN_DUP2, 1, 2),
                    (os.POSIX_SPAWN_DUP2, child_r, 3),
                    (os.POSIX_SPAWN_DUP2, child_w, 4),
                ],
            )
        finally:
            os.close(child_r)
            os.close(child_w)
        self.log = log
        self._write = to_browser_w
        self._read = from_browser_r
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    # -- protocol -------------------------------------------------------------------------

    def send(self, method: str, params: dict[str, Any] | None = None, **kw: Any) -> Any:
        """Send a command and wait for its answer (events that arrive meanwhile are kept)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        session = kw.get("session", self.session)
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        wanted = self._next_id
        reply = self._wait(lambda m: m.get("id") == wanted, f"a reply to {method}")
        if "error" in reply:
            raise CDPError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def wait_event(self, method: str, timeout: float = TIMEOUT_S) -> dict[str, Any]:
        for event in self.events:
            if event.get("method") == method:
                return event
        return self._wait(lambda m: m.get("method") == method, method, timeout)

    def _wait(
        self, match: Callable[[dict[str, Any]], bool], what: str, timeout: float = TIMEOUT_S
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "method" in message:
                    self.events.append(message)
                if match(message):
                    return message
            left = deadline - time.monotonic()
            if left <= 0:
                raise CDPError(f"timed out waiting for {what}")
            ready, _, _ = select.select([self._read], [], [], left)
            if ready:
                chunk = os.read(self._read, 1 << 20)
                if not chunk:
                    tail = self.log.read_text(errors="replace")[-2000:]
                    raise CDPError(
                        f"Chromium exited while waiting for {what}; its log ends:\n{tail}"
                    )
                self._buffer += chunk

    # -- page helpers ---------------------------------------------------------------------

    def open_page(self) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        attached = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})
        self.session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": VIEWPORT[0],
                "height": VIEWPORT[1],
                "deviceScaleFactor": 1,
                "mobile": False,
            },
        )

    def navigate(self, url: str) -> None:
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            raise CDPError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_until(self, expression: str, timeout: float = TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        while not self.evaluate(expression):
            if time.monotonic() > deadline:
                raise CDPError(f"timed out waiting until {expression}")
            time.sleep(0.1)

    def hover_node(self, node: str) -> str:
        """Move the mouse onto a node; return the text of the tooltip that appears."""
        x, y = self.evaluate(
            f"""(function () {{
              var net = tiesGraph.network;
              var at = net.canvasToDOM(net.getPositions([{json.dumps(node)}])[{json.dumps(node)}]);
              var box = document.getElementById('ties-network').getBoundingClientRect();
              return [box.left + at.x, box.top + at.y];
            }})()"""
        )
        for dx in (0, 1):  # vis-network reacts to movement, so move twice
            self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x + dx, "y": y})
        visible = (
            "(function () { var t = document.querySelector('div.vis-tooltip');"
            " return t && t.style.visibility !== 'hidden' && t.textContent.length > 0; })()"
        )
        self.wait_until(visible, timeout=10)
        return str(self.evaluate("document.querySelector('div.vis-tooltip').textContent"))

    def screenshot(self, path: Path) -> None:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    # -- what the page did ----------------------------------------------------------------

    def problems(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions, dialogs (alert!) and log errors."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning"):
                found.append(f"console.{params['type']}: {params.get('args')}")
            elif method == "Runtime.exceptionThrown":
                found.append(f"exception: {params.get('exceptionDetails')}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(f"log: {params['entry'].get('text')}")
            elif method == "Page.javascriptDialogOpening":
                found.append(f"dialog: {params.get('message')}")
        return found

    def requests(self) -> list[str]:
        return [
            event["params"]["request"]["url"]
            for event in self.events
            if event.get("method") == "Network.requestWillBeSent"
        ]

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.send("Browser.close", session=None)
        for fd in (self._write, self._read):
            with contextlib.suppress(OSError):
                os.close(fd)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(ChildProcessError):
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    return
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def find_chromium() -> str | None:
    named = os.environ.get("CHROMIUM")
    if named:
        return named if shutil.which(named) else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Chromium]:
    binary = find_chromium()
    if binary is None:
        unavailable("no Chromium found (tried $CHROMIUM, " + ", ".join(CANDIDATES) + ")")
    chromium = Chromium(binary, tmp_path / "profile", tmp_path / "chromium.log")
    try:
        chromium.open_page()
        yield chromium
    finally:
        chromium.close()


def assert_offline_and_clean(chromium: Chromium) -> None:
    assert chromium.problems() == []
    outside = [url for url in chromium.requests() if not url.startswith(LOCAL_SCHEMES)]
    assert outside == []


GRAPH_STATE = """JSON.stringify({
  nodes: tiesGraph.network.body.data.nodes.length,
  edges: tiesGraph.network.body.data.edges.length,
  canvas: (function () {
    var c = document.querySelector('#ties-network canvas');
    return c ? [c.width, c.height] : null;
  })(),
  physics: tiesGraph.network.physics.options.enabled,
  errors: tiesGraph.errors,
  shown: tiesGraph.shown,
  note: document.getElementById('ties-note').hidden ? '' :
        document.getElementById('ties-note').textContent
})"""


def test_page_draws_offline_from_a_real_store(browser: Chromium, tmp_path: Path) -> None:
    store = FalkorDBStore(tmp_path / "home")
    try:
        load_tiny_graph(store)
        report = write_html(store, tmp_path / "network.html")
    finally:
        store.close()
    browser.navigate(report.path.resolve().as_uri())
    browser.wait_until("window.tiesGraph && window.tiesGraph.ready")
    state = json.loads(browser.evaluate(GRAPH_STATE))
    assert state["nodes"] == report.nodes == 4
    assert state["edges"] == report.edges == 3
    assert state["canvas"] and min(state["canvas"]) > 100
    assert state["errors"] == []
    assert state["shown"] == {"nodes": 4, "edges": 3}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.screenshot(ARTIFACTS / "network.png")

    # Hovering an actor shows its kind, scores and top ties.
    tooltip = browser.hover_node("KZ")
    assert "Kazakhstan" in tooltip and "State" in tooltip and "pagerank" in tooltip
    assert "Top ties" in tooltip and "Russia" in tooltip
    browser.screenshot(ARTIFACTS / "network-hover.png")

    # The hostile sentence shows as text in the evidence panel and runs nothing.
    panel = browser.evaluate(
        """(function () {
          var pairs = tiesGraph.data.pairs;
          var id = Object.keys(pairs).filter(function (k) {
            return pairs[k].source === 'KZ' && pairs[k].target === 'RU';
          })[0];
          tiesGraph.showPair(id);
          var panel = document.getElementById('ties-panel');
          return {text: panel.textContent, scripts: document.scripts.length};
        })()"""
    )
    assert EVIL in panel["text"]
    assert panel["scripts"] == 3
    browser.screenshot(ARTIFACTS / "network-evidence.png")

    # The year slider: in 1993 Kazakhstan is not yet in the CSTO (it joins in 1994).
    browser.evaluate("tiesGraph.setYear(1993)")
    assert browser.evaluate("tiesGraph.shown") == {"nodes": 4, "edges": 2}
    hidden = browser.evaluate(
        "tiesGraph.edges.get({filter: function (e) { return e.hidden; }})"
        ".map(function (e) { var p = tiesGraph.data.pairs[e.id];"
        " return p.source + '-' + p.target; })"
    )
    assert hidden == ["KZ-csto"]
    # The slider starts in 1992: earlier years are clamped to it.
    browser.evaluate("tiesGraph.setYear(1980)")
    assert browser.evaluate("document.getElementById('ties-year-label').textContent") == "1992"
    browser.evaluate("tiesGraph.setYear(null)")
    assert browser.evaluate("tiesGraph.shown") == {"nodes": 4, "edges": 3}
    # Search finds an actor by name, case-insensitively.
    assert browser.evaluate("tiesGraph.find('russia')") == "RU"
    assert_offline_and_clean(browser)


def test_large_page_settles_then_freezes(browser: Chromium, tmp_path: Path) -> None:
    n = 320
    actors = [{"id": f"a{i:03d}", "name": f"Actor {i}", "kind": "state"} for i in range(n)]
    rows = [
        {
            "source": f"a{i:03d}",
            "target": f"a{(i * 7 + step) % n:03d}",
            "via": "SUPPLIES",
            "through": "SUPPLIES",
            "label": "SUPPLIES",
            "since": 1992 + i % 30,
            "until": None,
            "size": 2,
        }
        for i in range(n)
        for step in (1, 2)
    ]
    graph = analysis.build_graph(actors, rows)
    data = NetworkData(graph, analysis.score_actors(graph), rows, ())
    page = render_page(data, max_nodes=300)
    path = tmp_path / "large.html"
    path.write_text(page.html, encoding="utf-8")
    browser.navigate(path.as_uri())
    browser.wait_until("window.tiesGraph && window.tiesGraph.ready", timeout=120)
    state = json.loads(browser.evaluate(GRAPH_STATE))
    assert state["nodes"] == page.nodes == 300
    assert state["physics"] is False
    assert "Showing the 300 actors with the highest pagerank out of 320" in state["note"]
    browser.screenshot(ARTIFACTS / "network-large.png")
    assert_offline_and_clean(browser)


def test_a_page_with_ties_left_out_says_so(browser: Chromium, tmp_path: Path) -> None:
    """At most three ties (--max-edges 3) of five: the note counts what is left out, and an
    actor's panel names the query for the ties the page does not draw."""
    # The five-actor network the unit tests of the bound pin (tests/unit/test_viz.py).
    page = render_page(bound_network(), max_edges=3)
    path = tmp_path / "bounded.html"
    path.write_text(page.html, encoding="utf-8")
    browser.navigate(path.as_uri())
    browser.wait_until("window.tiesGraph && window.tiesGraph.ready")
    state = json.loads(browser.evaluate(GRAPH_STATE))
    assert state["shown"] == {"nodes": 4, "edges": 3}
    assert state["note"].startswith("Showing all 5 actors and 3 of the 5 ties among them")
    panel = browser.evaluate(
        "tiesGraph.showActor('B'), document.getElementById('ties-panel').textContent"
    )
    assert "and 1 more tie not drawn on this page — ties query actor-ties -p actor=B" in panel
    assert_offline_and_clean(browser)


def test_sample_page_search_tie_types_and_undated(
    browser: Chromium, tmp_path: Path, sample_facts: list[DocumentFacts]
) -> None:
    store = FalkorDBStore(tmp_path / "home")
    try:
        store.replace_graph(schema_statements("embedded"), build_rows(sample_facts).writes())
        report = write_html(store, tmp_path / "sample.html")
    finally:
        store.close()
    browser.navigate(report.path.resolve().as_uri())
    browser.wait_until("window.tiesGraph && window.tiesGraph.ready")
    # Search by any name or alias, as the CLI resolves them; a misspelt name finds the closest.
    for query, expected in (("Russie", "RU"), ("OTSC", "csto"), ("Putin", "vladimir-poutine")):
        assert browser.evaluate(f"tiesGraph.find({json.dumps(query)})") == expected, query
    everything = browser.evaluate("tiesGraph.shown")
    assert everything["edges"] == report.edges
    # Hiding a tie type hides the edges that only it makes.
    only_agreements = browser.evaluate(
        """Object.keys(tiesGraph.data.pairs).filter(function (id) {
             return tiesGraph.data.pairs[id].reasons.every(function (r) {
               return r.via === 'agreement'; });
           }).length"""
    )
    assert only_agreements > 0
    browser.evaluate("tiesGraph.setTypeShown('agreement', false)")
    hidden = browser.evaluate("tiesGraph.shown")["edges"]
    assert hidden == everything["edges"] - only_agreements
    browser.screenshot(ARTIFACTS / "network-sample-no-agreements.png")
    browser.evaluate("tiesGraph.setTypeShown('agreement', true)")
    # In a dated view, undated ties are drawn only when "include undated" is ticked.
    browser.evaluate("tiesGraph.setYear(2020)")
    dated = browser.evaluate("tiesGraph.shown")["edges"]
    browser.evaluate("tiesGraph.setIncludeUndated(true)")
    with_undated = browser.evaluate("tiesGraph.shown")["edges"]
    assert 0 < dated < with_undated
    # Evidence names its document: title, date and source file.
    text = browser.evaluate(
        """(function () {
          var pairs = tiesGraph.data.pairs;
          var id = Object.keys(pairs).filter(function (k) {
            return pairs[k].source === 'KZ' && pairs[k].target === 'vladimir-poutine';
          })[0];
          tiesGraph.showPair(id);
          return document.getElementById('ties-panel').textContent;
        })()"""
    )
    assert "2024-11-27" in text and "004_fa8826dc4ee1f24b.txt" in text
    assert_offline_and_clean(browser)


def test_thousand_actor_page_time_to_interactive(browser: Chromium, tmp_path: Path) -> None:
    """Measured, not asserted (BENCHMARKS.md keeps the figures): navigation to the page's
    ready flag (layout settled and frozen, first frame drawn)."""
    n = 1000
    actors = [{"id": f"a{i:04d}", "name": f"Actor {i}", "kind": "state"} for i in range(n)]
    rows = [
        {"source": f"a{i:04d}", "target": f"a{(i * 7 + step) % n:04d}", "via": "SUPPLIES",
         "through": "SUPPLIES", "label": "SUPPLIES", "since": 1992 + i % 30, "until": None,
         "size": 2, "evidence": 1, "stated": True}
        for i in range(n)
        for step in (1, 2)
    ]  # fmt: skip
    graph = analysis.build_graph(actors, rows)
    page = render_page(NetworkData(graph, analysis.score_actors(graph), rows, ()), max_nodes=n)
    path = tmp_path / "thousand.html"
    path.write_text(page.html, encoding="utf-8")
    started = time.monotonic()
    browser.navigate(path.as_uri())
    browser.wait_until("window.tiesGraph && window.tiesGraph.ready", timeout=180)
    elapsed = time.monotonic() - started
    print(f"\n1,000-actor page: time to interactive {elapsed:.2f} s ({page.edges} ties)")
    # It opens on the 80 actors with the most stated ties; a search brings one in with its
    # neighbours, and "show all" the rest.
    assert browser.evaluate("tiesGraph.shown")["nodes"] == 80
    browser.screenshot(ARTIFACTS / "network-thousand.png")
    outside = browser.evaluate(
        "Object.keys(tiesGraph.data.actors).filter(function (id) {"
        " return tiesGraph.data.meta.openOn.indexOf(id) === -1; })[0]"
    )
    browser.evaluate(
        f"document.getElementById('ties-search-input').value = {json.dumps(outside)};"
        "document.querySelector('#ties-search button').click()"
    )
    assert browser.evaluate("tiesGraph.shown")["nodes"] > 80
    assert browser.evaluate(f"tiesGraph.nodes.get({json.dumps(outside)}).hidden") is False
    browser.evaluate("tiesGraph.showAll()")
    assert browser.evaluate("tiesGraph.shown")["nodes"] == n
    assert_offline_and_clean(browser)
