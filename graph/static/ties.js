/* The network page's behaviour: tooltips, the details panel, search, kind filters and the year
 * slider. Every text from the data goes into the DOM through textContent, never as markup, so
 * a document that quotes a script tag shows it as text. window.tiesGraph is the handle tests and
 * curious readers use: {ready, network, nodes, edges, data, errors}. */
(function () {
  "use strict";

  var handle = (window.tiesGraph = { ready: false, errors: [], network: null });
  window.addEventListener("error", function (event) {
    handle.errors.push(String(event.message));
  });

  var data = JSON.parse(document.getElementById("ties-data").textContent);
  var meta = data.meta;
  handle.data = data;

  var ALL_YEARS = null;
  var state = { year: ALL_YEARS, hiddenKinds: {}, hiddenTypes: {}, includeUndated: false,
    revealed: null };
  // A large page opens on its most connected actors; the rest come with a search or a click.
  if (meta.openOn) {
    state.revealed = {};
    meta.openOn.forEach(function (id) { state.revealed[id] = true; });
  }

  function reveal(id) {
    if (state.revealed === null) return;
    state.revealed[id] = true;
    (neighbours[id] || []).forEach(function (link) { state.revealed[link.other] = true; });
  }
  var typeColor = {};
  (data.tieTypes || []).forEach(function (type) { typeColor[type.type] = type.color; });
  var HEDGED = { draft: true, planned: true, reported: true };

  // -- small DOM helpers ------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // Integers as they are, other numbers with four decimals at most (tiny ones in e-notation).
  function fmt(value) {
    if (typeof value !== "number") return String(value);
    if (Number.isInteger(value)) return String(value);
    if (Math.abs(value) < 0.0001) return value.toExponential(1);
    return String(parseFloat(value.toFixed(4)));
  }

  function scoreName(name) {
    return name.replace(/_/g, " ");
  }

  // -- time -------------------------------------------------------------------------------

  // Same rule as graph.analysis.holds_in: since <= year, until > year (or unknown). An undated
  // fact holds in no particular year: shown in a dated view only when "include undated" is on.
  function holds(reason, year) {
    if (state.hiddenTypes[reason.via]) return false;
    if (year === ALL_YEARS) return true;
    if (reason.since === null) {
      return state.includeUndated && (reason.until === null || reason.until > year);
    }
    return reason.since <= year && (reason.until === null || reason.until > year);
  }

  // How an edge looks: the colour of its heaviest shown reason; dashed when no shown reason is
  // stated in a document (inferred); dotted when every shown reason is draft, planned or
  // reported.
  function edgeStyle(pair, year) {
    var best = null;
    var stated = false;
    var hedged = true;
    pair.reasons.forEach(function (reason) {
      if (!holds(reason, year)) return;
      if (best === null || reason.weight > best.weight) best = reason;
      if (reason.stated !== false) stated = true;
      if (!HEDGED[reason.status]) hedged = false;
    });
    var color = best === null ? "#9aa5b1" : (typeColor[best.via] || "#9aa5b1");
    return {
      color: { color: color, highlight: "#c2255c", hover: "#4a5560" },
      dashes: hedged && best !== null ? [2, 5] : (stated ? false : [8, 6])
    };
  }

  // Same formula as graph.viz.edge_width.
  function edgeWidth(weight) {
    return Math.round((1 + 5 * weight / meta.maxWeight) * 1000) / 1000;
  }

  function weightAt(pair, year) {
    var total = 0;
    pair.reasons.forEach(function (reason) {
      if (holds(reason, year)) total += reason.weight;
    });
    return total;
  }

  function reasonText(reason) {
    var text = reason.via + ": " + reason.label + yearText(reason);
    if (reason.status && HEDGED[reason.status]) text += " [" + reason.status + "]";
    if (reason.stated === false) text += " [inferred]";
    return text;
  }

  function documentText(doc) {
    var found = (data.documents || {})[doc];
    if (!found) return doc;
    var parts = [found.title || doc];
    if (found.date) parts.push(found.date);
    if (found.source) parts.push(found.source);
    return parts.join(" · ");
  }

  function yearText(reason) {
    if (reason.since === null && reason.until === null) return "";
    return " (" + (reason.since === null ? "?" : reason.since) + "–" +
      (reason.until === null ? "" : reason.until) + ")";
  }

  // -- tooltips (vis-network shows an Element title as is) ---------------------------------

  function actorTooltip(id) {
    var actor = data.actors[id];
    var box = el("div", "ties-tip");
    box.appendChild(el("strong", null, actor.name));
    box.appendChild(el("div", "ties-kind-tag", actor.kindLabel));
    box.appendChild(scoreTable(actor));
    if (actor.top.length) {
      box.appendChild(el("div", "ties-sub", "Top ties"));
      var list = el("ul");
      actor.top.forEach(function (tie) {
        list.appendChild(el("li", null, tie.name + " — " + fmt(tie.weight) + " (" + tie.via + ")"));
      });
      box.appendChild(list);
    }
    return box;
  }

  function pairTitle(pair) {
    return data.actors[pair.source].name + " — " + data.actors[pair.target].name;
  }

  function pairTooltip(edgeId) {
    var pair = data.pairs[edgeId];
    var box = el("div", "ties-tip");
    box.appendChild(el("strong", null, pairTitle(pair)));
    box.appendChild(el("div", null, "weight " + fmt(pair.weight) + " · click for the evidence"));
    var list = el("ul");
    pair.reasons.forEach(function (reason) {
      list.appendChild(el("li", null, reasonText(reason)));
    });
    box.appendChild(list);
    return box;
  }

  function scoreTable(actor) {
    var table = el("table", "ties-scores");
    meta.scores.forEach(function (name) {
      var row = el("tr");
      row.appendChild(el("th", null, scoreName(name) + (name === meta.sizeBy ? " (size)" : "")));
      row.appendChild(el("td", null, fmt(actor.scores[name])));
      table.appendChild(row);
    });
    var community = el("tr");
    community.appendChild(el("th", null, "community"));
    community.appendChild(el("td", null, fmt(actor.community)));
    table.appendChild(community);
    return table;
  }

  // -- the details panel --------------------------------------------------------------------

  var panel = document.getElementById("ties-panel");

  function showPair(edgeId) {
    var pair = data.pairs[edgeId];
    clear(panel);
    panel.appendChild(el("h2", null, pairTitle(pair)));
    panel.appendChild(el("div", null, "Tie weight " + fmt(pair.weight)));
    panel.appendChild(el("h3", null, "Why they are tied"));
    var reasons = el("ul", "ties-reasons");
    pair.reasons.forEach(function (reason) {
      reasons.appendChild(el("li", null, reasonText(reason) + " — weight " + fmt(reason.weight)));
    });
    panel.appendChild(reasons);
    panel.appendChild(el("h3", null, "Agreements and ties, with their evidence"));
    if (!pair.evidence.length) {
      panel.appendChild(el("p", "ties-hint", "No quoted evidence: this tie is inferred " +
        "(shared membership of an organisation, or reference data)."));
    }
    pair.evidence.forEach(function (item) {
      var box = el("div", "ties-evidence");
      var head = el("div", "ties-evidence-head", item.kind + ": " + item.name);
      var when = (item.date || "") + (item.until ? " – " + item.until : "");
      if (when) head.appendChild(el("span", "ties-evidence-date", when));
      if (item.status) head.appendChild(el("span", "ties-status ties-status-" + item.status,
        item.status));
      // The id `ties correct` takes to reject or fix this fact.
      if (item.id) head.appendChild(el("code", "ties-fact-id", item.id));
      box.appendChild(head);
      if (item.parties && item.parties.length) {
        box.appendChild(el("div", "ties-parties", "Parties: " + item.parties.map(function (id) {
          return data.actors[id] ? data.actors[id].name : id;
        }).join(", ") + (item.partiesMore ? " and " + item.partiesMore + " more" : "")));
      }
      item.sentences.forEach(function (sentence) {
        box.appendChild(el("blockquote", null, sentence));
      });
      var docs = el("div", "ties-docs", item.sources.length ? "Documents: " : "No document");
      item.sources.forEach(function (doc, index) {
        if (index) docs.appendChild(document.createTextNode("; "));
        var cite = el("cite", "ties-doc", documentText(doc));
        cite.setAttribute("data-doc", doc);
        docs.appendChild(cite);
      });
      if (item.sourcesMore) docs.appendChild(document.createTextNode(
        "; and " + item.sourcesMore + " more"));
      box.appendChild(docs);
      panel.appendChild(box);
    });
    // The page embeds a bounded share of each pair's evidence; the rest is one query away.
    if (pair.more) panel.appendChild(moreEvidence(pair.more));
  }

  function moreEvidence(more) {
    var counted = [];
    if (more.sentences) counted.push(more.sentences + " more sentence" +
      (more.sentences === 1 ? "" : "s"));
    if (more.facts) counted.push(more.facts + " more fact" + (more.facts === 1 ? "" : "s"));
    var line = el("p", "ties-hint ties-more", "and " + counted.join(", ") + " — ");
    line.appendChild(el("code", null, more.query));
    return line;
  }

  function showActor(id) {
    var actor = data.actors[id];
    clear(panel);
    var title = el("h2", null, actor.name);
    title.appendChild(el("span", "ties-kind-tag", actor.kindLabel + " · " + id));
    panel.appendChild(title);
    panel.appendChild(scoreTable(actor));
    panel.appendChild(el("h3", null, "Ties (click one for its evidence)"));
    var list = el("ul", "ties-links");
    neighbours[id].forEach(function (link) {
      var item = el("li");
      var button = el("button", null, data.actors[link.other].name + " — " + fmt(link.weight));
      button.type = "button";
      button.addEventListener("click", function () {
        handle.network.selectEdges([link.edge]);
        showPair(link.edge);
      });
      item.appendChild(button);
      list.appendChild(item);
    });
    panel.appendChild(list);
    // The page draws a bounded number of ties (`ties viz --max-edges`); the rest is one query
    // away.
    if (actor.notDrawn) {
      var line = el("p", "ties-hint ties-more", "and " + actor.notDrawn + " more tie" +
        (actor.notDrawn === 1 ? "" : "s") + " not drawn on this page — ");
      line.appendChild(el("code", null, actor.query));
      panel.appendChild(line);
    }
  }

  // -- the network ----------------------------------------------------------------------------

  var kindOf = {};
  data.nodes.forEach(function (node) { kindOf[node.id] = data.actors[node.id].kind; });

  var neighbours = {};
  data.nodes.forEach(function (node) { neighbours[node.id] = []; });
  data.edges.forEach(function (edge) {
    var weight = data.pairs[edge.id].weight;
    neighbours[edge.from].push({ other: edge.to, edge: edge.id, weight: weight });
    neighbours[edge.to].push({ other: edge.from, edge: edge.id, weight: weight });
  });
  Object.keys(neighbours).forEach(function (id) {
    neighbours[id].sort(function (a, b) {
      return b.weight - a.weight || (a.other < b.other ? -1 : a.other > b.other ? 1 : 0);
    });
  });

  function visNodes() {
    return data.nodes.map(function (node) {
      var copy = Object.assign({}, node);
      copy.title = actorTooltip(node.id);
      return copy;
    });
  }

  function visEdges() {
    return data.edges.map(function (edge) {
      var copy = Object.assign({}, edge);
      copy.title = pairTooltip(edge.id);
      return copy;
    });
  }

  function setReady() {
    if (handle.ready) return;
    handle.ready = true;
    document.body.setAttribute("data-ties-ready", "true");
  }

  function draw() {
    var container = document.getElementById("ties-network");
    handle.nodes = new vis.DataSet(visNodes());
    handle.edges = new vis.DataSet(visEdges());
    var network = new vis.Network(container, { nodes: handle.nodes, edges: handle.edges },
      data.options);
    handle.network = network;
    var stabilized = data.nodes.length === 0 || !data.options.physics.enabled;
    network.once("stabilizationIterationsDone", function () {
      stabilized = true;
      // Large graphs: freeze the layout once it has settled, so the page stays responsive.
      if (meta.freezeLayout) network.setOptions({ physics: { enabled: false } });
      network.fit();
    });
    network.on("afterDrawing", function () {
      if (stabilized) setReady();
    });
    network.on("click", function (params) {
      if (params.nodes.length && state.revealed !== null) {
        reveal(params.nodes[0]);
        applyFilters();
      }
      if (params.nodes.length) showActor(params.nodes[0]);
      else if (params.edges.length) showPair(params.edges[0]);
    });
    if (data.nodes.length === 0) setReady();
  }

  // -- filters: kinds and year --------------------------------------------------------------

  var countsBox = document.getElementById("ties-counts");

  function applyFilters() {
    var present = {};
    var shownEdges = 0;
    var edgeUpdates = data.edges.map(function (edge) {
      var weight = weightAt(data.pairs[edge.id], state.year);
      var inYear = weight > 0;
      if (inYear) {
        present[edge.from] = true;
        present[edge.to] = true;
      }
      var visible = inYear && !state.hiddenKinds[kindOf[edge.from]] &&
        !state.hiddenKinds[kindOf[edge.to]] &&
        (state.revealed === null || (state.revealed[edge.from] && state.revealed[edge.to]));
      if (visible) shownEdges += 1;
      var style = edgeStyle(data.pairs[edge.id], state.year);
      return { id: edge.id, hidden: !visible, width: inYear ? edgeWidth(weight) : 1,
        color: style.color, dashes: style.dashes };
    });
    var shownNodes = 0;
    var nodeUpdates = data.nodes.map(function (node) {
      // An actor with no tie at all is always there; one with ties appears with its first.
      var inYear = neighbours[node.id].length === 0 || present[node.id] === true;
      var visible = inYear && !state.hiddenKinds[kindOf[node.id]] &&
        (state.revealed === null || state.revealed[node.id] === true);
      if (visible) shownNodes += 1;
      return { id: node.id, hidden: !visible };
    });
    if (handle.nodes) {
      handle.nodes.update(nodeUpdates);
      handle.edges.update(edgeUpdates);
    }
    countsBox.textContent = shownNodes + " actors, " + shownEdges + " ties shown" +
      (state.revealed === null ? "" : " (of " + data.nodes.length + ": search or click for more)");
    document.getElementById("ties-show-all").hidden = state.revealed === null;
    handle.shown = { nodes: shownNodes, edges: shownEdges };
  }

  function buildLegend() {
    var list = document.getElementById("ties-kinds");
    data.kinds.forEach(function (kind) {
      var item = el("li");
      var label = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = kind.kind;
      box.addEventListener("change", function () {
        state.hiddenKinds[kind.kind] = !box.checked;
        applyFilters();
      });
      var swatch = el("span", "ties-swatch");
      swatch.style.backgroundColor = kind.color;
      label.appendChild(box);
      label.appendChild(swatch);
      label.appendChild(document.createTextNode(kind.label + " "));
      label.appendChild(el("span", "ties-count", "(" + kind.count + ")"));
      item.appendChild(label);
      list.appendChild(item);
    });
    document.getElementById("ties-size-note").textContent =
      "Node size: " + scoreName(meta.sizeBy) + ". Edge width: tie weight." +
      (meta.asOf === null ? "" : " Scores as of " + meta.asOf + ".");
  }

  function buildTieLegend() {
    var list = document.getElementById("ties-types");
    (data.tieTypes || []).forEach(function (type) {
      var item = el("li");
      var label = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = type.type;
      box.addEventListener("change", function () {
        state.hiddenTypes[type.type] = !box.checked;
        applyFilters();
      });
      var swatch = el("span", "ties-line");
      swatch.style.backgroundColor = type.color;
      label.appendChild(box);
      label.appendChild(swatch);
      label.appendChild(document.createTextNode(type.label + " "));
      label.appendChild(el("span", "ties-count", "(" + type.count + ")"));
      item.appendChild(label);
      list.appendChild(item);
    });
    handle.setTypeShown = function (type, shown) {
      state.hiddenTypes[type] = !shown;
      list.querySelectorAll("input").forEach(function (box) {
        if (box.value === type) box.checked = shown;
      });
      applyFilters();
    };
  }

  function buildUndatedToggle() {
    var box = document.getElementById("ties-undated");
    box.checked = state.includeUndated;
    box.addEventListener("change", function () {
      state.includeUndated = box.checked;
      applyFilters();
    });
    handle.setIncludeUndated = function (on) {
      box.checked = on;
      state.includeUndated = on;
      applyFilters();
    };
  }

  function buildYearSlider() {
    var slider = document.getElementById("ties-year-slider");
    var label = document.getElementById("ties-year-label");
    // The last position means "every tie, whatever its dates"; the year before it is the
    // current year (or --as-of), read at view time so the file does not change with the date.
    var last = meta.asOf === null ? new Date().getFullYear() : meta.asOf;
    var first = Math.min(meta.minYear, last);
    slider.min = String(first);
    slider.max = String(last + 1);
    slider.value = String(last + 1);
    function update() {
      var value = Number(slider.value);
      state.year = value > last ? ALL_YEARS : value;
      label.textContent = state.year === ALL_YEARS ? "all years" : String(value);
      applyFilters();
    }
    slider.addEventListener("input", update);
    handle.setYear = function (year) {
      slider.value = String(year === null ? last + 1 : year);
      update();
    };
  }

  // The CLI's resolver (graph/resolve.py): an exact id wins; then an id, name, acronym or
  // alias of one actor, whatever the case, accents and apostrophes; then a word of a name; then
  // the closest name (edit distance), as the CLI's "did you mean" would suggest.
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/['\u2019]/g, " ").replace(/\s+/g, " ").trim();
  }

  function similarity(a, b) {
    var rows = [];
    for (var i = 0; i <= a.length; i++) rows.push([i]);
    for (var j = 1; j <= b.length; j++) rows[0][j] = j;
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1,
          rows[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
    }
    return 1 - rows[a.length][b.length] / Math.max(a.length, b.length, 1);
  }

  function buildSearch() {
    var names = document.getElementById("ties-actor-names");
    var input = document.getElementById("ties-search-input");
    var message = document.getElementById("ties-search-message");
    var ids = Object.keys(data.actors).sort();
    var folded = {};
    ids.forEach(function (id) {
      var all = data.actors[id].names || [id, data.actors[id].name];
      folded[id] = all.map(fold);
      all.forEach(function (name) {
        var option = el("option");
        option.value = name;
        if (name !== data.actors[id].name) option.label = data.actors[id].name;
        names.appendChild(option);
      });
    });
    function only(found) {
      return found.length === 1 ? found[0] : (found.length ? found.sort()[0] : null);
    }
    function find(query) {
      var raw = String(query).trim();
      if (!raw) return null;
      if (data.actors[raw]) return raw;
      var q = fold(raw);
      var exact = ids.filter(function (id) { return folded[id].indexOf(q) !== -1; });
      if (exact.length) return only(exact);
      var word = ids.filter(function (id) {
        return folded[id].some(function (name) { return name.split(" ").indexOf(q) !== -1; });
      });
      if (word.length) return only(word);
      if (q.length >= 3) {
        var partial = ids.filter(function (id) {
          return folded[id].some(function (name) { return name.indexOf(q) !== -1; });
        });
        if (partial.length) return only(partial);
      }
      var best = null;
      var bestScore = 0.7;
      ids.forEach(function (id) {
        folded[id].forEach(function (name) {
          [name].concat(name.split(" ")).forEach(function (part) {
            var score = similarity(q, part);
            if (score > bestScore) { best = id; bestScore = score; }
          });
        });
      });
      return best;
    }
    document.getElementById("ties-search").addEventListener("submit", function (event) {
      event.preventDefault();
      var id = find(input.value);
      message.textContent = "";
      if (id === null) {
        message.textContent = "No actor matches.";
        return;
      }
      if (state.revealed !== null && !state.revealed[id]) {
        reveal(id);
        applyFilters();
      }
      if (handle.nodes.get(id).hidden) {
        message.textContent = data.actors[id].name + " is hidden by the filters.";
      }
      handle.network.selectNodes([id]);
      handle.network.focus(id, { scale: 1.4, animation: false });
      showActor(id);
    });
    handle.find = find;
  }

  function showNote() {
    var note = document.getElementById("ties-note");
    if (meta.note) {
      note.textContent = meta.note;
      note.hidden = false;
    }
  }

  document.getElementById("ties-show-all").addEventListener("click", function () {
    state.revealed = null;
    applyFilters();
  });
  handle.reveal = function (id) { reveal(id); applyFilters(); };
  handle.showAll = function () { state.revealed = null; applyFilters(); };
  handle.showActor = showActor;
  handle.showPair = showPair;
  showNote();
  buildLegend();
  buildTieLegend();
  buildUndatedToggle();
  buildYearSlider();
  buildSearch();
  draw();
  applyFilters();
  if (meta.openOn && meta.openOn.length) {
    handle.network.fit({ nodes: meta.openOn, animation: false });
  }
})();
