"""The attack graph, drawn with networkx and matplotlib (the `report` extra).

Nodes are actions (red when exposed, sized by impact); an edge A -> B means a
path of B accepts a factor that completing A hands over. Edges on some
action's cheapest attack are drawn thick and dark.
"""

from __future__ import annotations

import io
from typing import Any

import networkx as nx

from channelguard.errors import DependencyError
from channelguard.escape import control_free
from channelguard.model.loader import LoadedModel
from channelguard.review.review import Review

__all__ = ["attack_graph", "focus", "render_svg"]


def attack_graph(loaded: LoadedModel, review: Review) -> nx.DiGraph:
    graph = nx.DiGraph()
    exposed = {a.id for a in review.exposed}
    for a in review.actions:
        graph.add_node(a.id, tier=a.tier, impact=a.impact_usd, exposed=a.id in exposed)
    for action in loaded.model.actions:
        for path in action.paths:
            for fid in path.factor_ids():
                for source in loaded.factors[fid].obtainable_via:
                    if source == action.id:
                        continue  # a factor an action hands to itself adds nothing
                    if not graph.has_edge(source, action.id):
                        graph.add_edge(source, action.id, factors=set(), cheapest=False)
                    graph.edges[source, action.id]["factors"].add(fid)
    for a in review.actions:
        if a.attack is None:
            continue
        steps = [s.action for s in a.attack.steps]
        for step in a.attack.steps:
            for source in steps:
                edge = graph.get_edge_data(source, step.action)
                if edge is not None and edge["factors"] & set(step.obtained):
                    edge["cheapest"] = True
    return graph


FOCUS_FROM = 15  # above this many actions only the exposed ones and their attacks are drawn


def focus(graph: nx.DiGraph, review: Review) -> tuple[nx.DiGraph, list[str]]:
    """A large graph reduced to what a reader acts on: exposed actions and every
    action on the cheapest attack of one; the rest is named, not drawn."""
    if graph.number_of_nodes() <= FOCUS_FROM:
        return graph, []
    keep = set()
    for a in review.actions:
        if a.exposed:
            keep.add(a.id)
            if a.attack is not None:
                keep.update(step.action for step in a.attack.steps)
    hidden = sorted(n for n in graph.nodes if n not in keep)
    return graph.subgraph(keep).copy(), hidden


def _layout(graph: nx.DiGraph, review: Review) -> dict[Any, Any]:
    """Columns by the latest position an action takes in any cheapest attack chain."""
    depth = {a.id: 0 for a in review.actions}
    for a in review.actions:
        if a.attack is not None and a.id in graph:
            for i, step in enumerate(a.attack.steps):
                depth[step.action] = max(depth[step.action], i)
    for node in graph.nodes:
        graph.nodes[node]["layer"] = depth.get(node, 0)
    layout: dict[Any, Any] = nx.multipartite_layout(graph, subset_key="layer", align="vertical")
    return layout


def render_svg(loaded: LoadedModel, review: Review) -> str:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise DependencyError("matplotlib", "report") from None
    graph, hidden = focus(attack_graph(loaded, review), review)
    pos = _layout(graph, review)
    fig, ax = plt.subplots(figsize=(11, max(4.0, 0.55 * graph.number_of_nodes())))
    colors = ["#d62728" if d["exposed"] else "#2ca02c" for _, d in graph.nodes(data=True)]
    sizes = [300 + 900 * min(1.0, d["impact"] / 50000) for _, d in graph.nodes(data=True)]
    hot = [(u, v) for u, v, d in graph.edges(data=True) if d["cheapest"]]
    cold = [(u, v) for u, v, d in graph.edges(data=True) if not d["cheapest"]]
    nx.draw_networkx_edges(
        graph,
        pos,
        edgelist=cold,
        ax=ax,
        edge_color="#bbbbbb",
        arrows=True,
        width=1.0,
        style="dashed",
        node_size=sizes,
    )
    nx.draw_networkx_edges(
        graph,
        pos,
        edgelist=hot,
        ax=ax,
        edge_color="#222222",
        arrows=True,
        width=2.8,
        arrowsize=16,
        node_size=sizes,
    )
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_color=colors, node_size=sizes, alpha=0.9)
    labels = {n: f"{n}\n{d['tier']}" for n, d in graph.nodes(data=True)}
    nx.draw_networkx_labels(graph, pos, labels=labels, ax=ax, font_size=8)
    edge_labels = {(u, v): ", ".join(sorted(d["factors"])) for u, v, d in graph.edges(data=True)}
    nx.draw_networkx_edge_labels(graph, pos, edge_labels=edge_labels, ax=ax, font_size=7)
    # the model's text, drawn as it is: no control characters, no mathtext ($...$)
    name = control_free(review.organization).replace("$", r"\$")
    title = f"{name}: attack graph (red = exposed; thick = on a cheapest path)"
    if hidden:
        title += (
            f"\n{len(hidden)} action(s) not drawn: not exposed and on no cheapest attack "
            "(listed in the tables)"
        )
    ax.set_title(title)
    ax.axis("off")
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()
