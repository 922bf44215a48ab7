// The attack graph (Cytoscape.js): cheapest-attack edges thick and dark, exposed
// actions red and sized by impact; search, focus and zoom; a click loads the
// action's panel (paths, findings, plan items) from the server with htmx.
(function () {
  "use strict";
  var elements = JSON.parse(document.getElementById("graph-data").textContent);
  var cy = window.cytoscape({
    container: document.getElementById("graph"),
    elements: elements,
    wheelSensitivity: 0.3,
    minZoom: 0.05,
    maxZoom: 2,
    style: [
      { selector: "node", style: {
        "label": "data(label)", "font-size": 11, "min-zoomed-font-size": 7,
        "text-valign": "bottom", "text-margin-y": 3, "color": "#1d1d1d",
        "text-background-color": "#ffffff", "text-background-opacity": 0.85,
        "text-background-padding": 1,
        "background-color": "#2f6f4f",
        "width": "mapData(impact, 0, 1000000, 14, 44)", "height": "mapData(impact, 0, 1000000, 14, 44)",
      } },
      { selector: "node[?exposed]", style: { "background-color": "#b3261e" } },
      { selector: "edge", style: {
        "width": 1, "line-color": "#b8b8b8", "target-arrow-color": "#b8b8b8",
        "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 0.8,
      } },
      { selector: "edge[?cheapest]", style: {
        "width": 3.5, "line-color": "#333333", "target-arrow-color": "#333333", "z-index": 10,
      } },
      { selector: "node.closed", style: {
        "background-color": "#1b6e3a", "border-width": 3, "border-style": "dashed",
        "border-color": "#b3261e",
      } },
      { selector: ".faded", style: { "opacity": 0.12 } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#1f5fa8" } },
      { selector: ".hidden", style: { "display": "none" } },
    ],
    // force-directed, spread wide enough for the labels to stand apart
    layout: { name: "cose", animate: false, randomize: true, nodeRepulsion: 400000,
              idealEdgeLength: 110, nodeOverlap: 40, componentSpacing: 100, gravity: 60,
              numIter: 2000, padding: 30 },
  });
  window.channelguardGraph = cy; // for the browser tests

  function focus(node) {
    cy.elements().removeClass("faded").unselect();
    var near = node.predecessors().union(node.successors()).union(node);
    cy.elements().difference(near).addClass("faded");
    node.select();
    cy.fit(near, 60);
    window.htmx.ajax("GET", "/ui/graph/actions/" + encodeURIComponent(node.id()),
                     { target: "#detail", swap: "innerHTML" });
    history.replaceState(null, "", "#" + encodeURIComponent(node.id()));
  }

  function find(id) {
    var found = cy.nodes().filter(function (n) { return n.id() === id; });
    return found.length ? found[0] : null;
  }

  cy.on("tap", "node", function (evt) { focus(evt.target); });
  cy.on("tap", function (evt) {
    if (evt.target === cy) { cy.elements().removeClass("faded"); }
  });
  document.getElementById("graph-search").addEventListener("change", function (evt) {
    var node = find(evt.target.value.trim());
    if (node) { focus(node); }
  });
  document.getElementById("graph-fit").addEventListener("click", function () {
    cy.elements().removeClass("faded");
    cy.fit(cy.elements(":visible"), 30);
  });
  document.getElementById("graph-exposed").addEventListener("change", function (evt) {
    cy.elements().removeClass("hidden");
    if (evt.target.checked) {
      var exposed = cy.nodes("[?exposed]");
      var chains = exposed.predecessors("edge[?cheapest]");
      var keep = exposed.union(chains).union(chains.sources());
      cy.elements().difference(keep).addClass("hidden");
    }
    cy.fit(cy.elements(":visible"), 30);
  });
  // the what-if panel (htmx): actions the ticked plan items would close turn green
  // with a red dashed ring
  document.body.addEventListener("htmx:afterSettle", function (evt) {
    var result = document.getElementById("whatif-result");
    if (evt.detail.target.id !== "whatif" || !result) { return; }
    cy.nodes().removeClass("closed");
    JSON.parse(result.dataset.closed).forEach(function (id) {
      var node = find(id);
      if (node) { node.addClass("closed"); }
    });
  });
  var start = find(decodeURIComponent(location.hash.slice(1)));
  if (start) { focus(start); }
})();
