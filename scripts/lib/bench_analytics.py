"""Times `pollen analyze` beside igraph, networkit, networkx and scipy on the shared generator's 20k and 100k graphs.

Run through scripts/bench-analytics, which builds the release binary and the venv. For each graph every tool reads
the same edge-list file and computes the same measure with the same parameters; each figure is the best of up to
three runs in one process (fewer when a run is long: a measure stops repeating after RUN_BUDGET_S), timed inside
the process around the library call only, as Pollen's own `timings_ms` are. A peer runs in its own process with a
deadline; networkx also gets a per-measure alarm and, for betweenness, a time estimate from a few sources first.
Prints one table per graph with the ratio Pollen/peer against each target, PASS or FAIL, and exits 0 (the figures
are information; a missed target is reported, not an error of the script).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

GENERATOR = Path(os.environ.get("POLLEN_GRAPH_GENERATOR", "/work/shared/bench/gen_org_graph.py"))
THREADS = 2                # Pollen and networkit; igraph, networkx and scipy run these measures on one thread
RUNS = 3                   # best of
RUN_BUDGET_S = 60          # a measure is not repeated once its runs have taken this long
NETWORKX_LIMIT_S = 60      # per networkx measure (an alarm; its code is Python, so it can be interrupted)
ESTIMATE_LIMIT_S = 150     # a peer's exact betweenness, beyond igraph's, runs only if estimated below this
PEER_DEADLINE_S = 900      # per peer process and graph (a C library call cannot be interrupted, the process can)
POLLEN_DEADLINE_S = 900    # per pollen analyze run
SAMPLED_SOURCES = 500
FOF_MEMBERS, FOF_K = 1000, 10
PAGERANK_ALPHA, PAGERANK_L1 = 0.85, 1e-10   # Pollen stops when the L1 change of a step is below 1e-10
MODULARITY_SLACK = 0.002

# (measure, peer, at most this × the peer's time); exact betweenness only on the 20k graph.
TARGETS = [
    ("load", "networkit", 0.5),
    ("pagerank", "networkit", 0.5),
    ("wcc", "networkit", 0.1),
    ("louvain", "networkit", 1.0),
    ("betweenness 500", "igraph", 0.5),
    ("betweenness exact", "igraph", 0.75),
    ("fof top-10", "scipy", 0.1),
]
PEERS = ["igraph", "networkit", "networkx", "scipy"]
MEASURES = ["load", "pagerank", "wcc", "louvain", "betweenness 500", "betweenness exact", "fof top-10"]

WHAT_IS_TIMED = {
    "Pollen": "timings_ms of `pollen analyze --threads 2`: load = read + parse the CSV + build the CSR graph (both "
              "directions); pagerank α 0.85 to an L1 step change < 1e-10; louvain includes building the undirected graph; betweenness over the sampled sources "
              "(drawn with the seed, written to the JSON, given to igraph) or all nodes; fof for 1,000 members drawn "
              "with the seed (given to scipy and networkx)",
    "igraph": "caches cleared before each run; load = numpy parse of the CSV + Graph(n, edges); pagerank PRPACK "
              "(solved exactly); wcc "
              "connected_components(weak); louvain as_undirected(collapse) + community_multilevel; betweenness "
              "betweenness(directed=True[, sources=Pollen's sources]); one thread",
    "networkit": "2 threads; load = EdgeListReader(',', directed); pagerank PageRank(damp 0.85, tol 1e-10, L1 norm, "
                 "DistributeSinks); wcc WeaklyConnectedComponents; louvain toUndirected + PLM(refine=True, γ 1); "
                 "betweenness 500 = EstimateBetweenness(500, parallel) (its own 500 random sources); exact = "
                 "Betweenness, run when 500 sources × n/500 is below 150 s",
    "networkx": "load = read_edgelist into a DiGraph; pagerank tol 1e-10/n (its L1 test); wcc; louvain to_undirected "
                "+ louvain_communities; betweenness estimated from 10 sources and run only when the estimate is "
                "below 60 s (every networkx measure stops at 60 s); fof = a Python loop over successor sets",
    "scipy": "load = numpy parse + csr_array; wcc csgraph.connected_components(weak); fof = A[members] @ A (CSR), "
             "self and existing follows zeroed, top-10 by argpartition",
}


# ------------------------------------------------------------------------------------------------ shared helpers
def parse_edges(path: str) -> tuple[np.ndarray, int]:
    """The edge list as an (m, 2) int64 array, and the node count (largest id + 1)."""
    with open(path, "rb") as f:
        f.readline()
        data = f.read()
    flat = np.fromstring(data.replace(b",", b" "), dtype=np.int64, sep=" ")  # noqa: NPY201 - text mode is fine
    edges = flat.reshape(-1, 2)
    return edges, int(edges.max()) + 1 if edges.size else 0


def timed_runs(body, limit_s: float | None = None, setup=None) -> tuple[list[float], object]:
    """Runs body up to RUNS times (fewer once RUN_BUDGET_S is spent), calling setup untimed before each; returns the
    seconds of each run and the last result."""
    seconds, result, spent = [], None, 0.0
    while len(seconds) < RUNS and spent < RUN_BUDGET_S:
        if setup:
            setup()
        if limit_s:
            signal.alarm(int(limit_s))
        start = time.perf_counter()
        try:
            result = body()
        finally:
            if limit_s:
                signal.alarm(0)
        elapsed = time.perf_counter() - start
        seconds.append(elapsed)
        spent += elapsed
    return seconds, result


class Alarm(Exception):
    pass


def on_alarm(signum, frame):
    raise Alarm()


# ------------------------------------------------------------------------------------------------ peer processes
def emit(measure: str, **fields) -> None:
    print(json.dumps({"measure": measure, **fields}), flush=True)


def peer_igraph(args) -> None:
    import igraph as ig

    def load():
        edges, n = parse_edges(args.edges)
        return ig.Graph(n=max(n, args.nodes), edges=edges, directed=True)

    seconds, g = timed_runs(load)
    emit("load", seconds=seconds)
    # igraph remembers properties such as "weakly connected" and would answer later runs from that memory: each run
    # starts with it cleared.
    fresh = getattr(g, "__invalidate_cache")
    seconds, rank = timed_runs(lambda: g.pagerank(damping=PAGERANK_ALPHA, directed=True), setup=fresh)
    np.save(f"{args.scratch}/igraph_pagerank.npy", np.array(rank))
    emit("pagerank", seconds=seconds)
    seconds, _ = timed_runs(lambda: g.connected_components(mode="weak"), setup=fresh)
    emit("wcc", seconds=seconds)
    seconds, partition = timed_runs(lambda: g.as_undirected(mode="collapse").community_multilevel(), setup=fresh)
    np.save(f"{args.scratch}/igraph_louvain.npy", np.array(partition.membership))
    emit("louvain", seconds=seconds)
    sources = json.loads(Path(args.sources).read_text())
    seconds, scores = timed_runs(lambda: g.betweenness(directed=True, sources=sources), setup=fresh)
    np.save(f"{args.scratch}/igraph_betweenness500.npy", np.array(scores) * (g.vcount() / len(sources)))
    emit("betweenness 500", seconds=seconds)
    if args.exact:
        seconds, scores = timed_runs(lambda: g.betweenness(directed=True), setup=fresh)
        np.save(f"{args.scratch}/igraph_betweenness.npy", np.array(scores))
        emit("betweenness exact", seconds=seconds)


def peer_networkit(args) -> None:
    import networkit as nk

    nk.setNumberOfThreads(THREADS)

    def load():
        # The header line "src,dst" is skipped as a comment (it starts with "s").
        return nk.graphio.EdgeListReader(",", 0, commentPrefix="s", continuous=True, directed=True).read(args.edges)

    seconds, g = timed_runs(load)
    emit("load", seconds=seconds)

    def pagerank():
        pr = nk.centrality.PageRank(g, damp=PAGERANK_ALPHA, tol=PAGERANK_L1,
                                    distributeSinks=nk.centrality.SinkHandling.DistributeSinks)
        pr.norm = nk.centrality.Norm.L1_NORM
        pr.run()
        return pr

    seconds, pr = timed_runs(pagerank)
    np.save(f"{args.scratch}/networkit_pagerank.npy", np.array(pr.scores()))
    emit("pagerank", seconds=seconds, note=f"{pr.numberOfIterations()} iterations")
    seconds, _ = timed_runs(lambda: nk.components.WeaklyConnectedComponents(g).run())
    emit("wcc", seconds=seconds)

    def louvain():
        undirected = nk.graphtools.toUndirected(g)
        undirected.removeMultiEdges()
        return nk.community.PLM(undirected, refine=True, gamma=1.0).run().getPartition()

    seconds, partition = timed_runs(louvain)
    np.save(f"{args.scratch}/networkit_louvain.npy", np.array(partition.getVector()))
    emit("louvain", seconds=seconds)
    seconds, _ = timed_runs(
        lambda: nk.centrality.EstimateBetweenness(g, SAMPLED_SOURCES, normalized=False, parallel=True).run())
    emit("betweenness 500", seconds=seconds)
    if args.exact:
        estimate = min(seconds) / SAMPLED_SOURCES * g.numberOfNodes()
        if estimate > ESTIMATE_LIMIT_S:
            emit("betweenness exact", skipped=f"≈ {estimate:,.0f} s (from 500)")
        else:
            seconds, _ = timed_runs(lambda: nk.centrality.Betweenness(g, normalized=False).run())
            emit("betweenness exact", seconds=seconds)


def peer_networkx(args) -> None:
    import networkx as nx

    signal.signal(signal.SIGALRM, on_alarm)

    def bounded(measure, body, note=None, save=None):
        try:
            seconds, result = timed_runs(body, limit_s=NETWORKX_LIMIT_S)
        except Alarm:
            emit(measure, skipped=f"> {NETWORKX_LIMIT_S} s")
            return None
        if save:
            save(result)
        emit(measure, seconds=seconds, **({"note": note} if note else {}))
        return result

    def load():
        with open(args.edges, "rb") as f:
            f.readline()
            g = nx.read_edgelist(f, delimiter=",", nodetype=int, create_using=nx.DiGraph)
        g.add_nodes_from(range(args.nodes))
        return g

    g = bounded("load", load)
    if g is None:
        return
    n = g.number_of_nodes()
    bounded("pagerank", lambda: nx.pagerank(g, alpha=PAGERANK_ALPHA, tol=PAGERANK_L1 / n, max_iter=10_000))
    bounded("wcc", lambda: list(nx.weakly_connected_components(g)))

    def louvain():
        return nx.community.louvain_communities(g.to_undirected(), seed=1)

    def save_louvain(communities):
        membership = np.zeros(n, dtype=np.int64)
        for index, members in enumerate(communities):
            membership[list(members)] = index
        np.save(f"{args.scratch}/networkx_louvain.npy", membership)

    bounded("louvain", louvain, save=save_louvain)

    def betweenness(measure, sources):
        probe = 10
        start = time.perf_counter()
        nx.betweenness_centrality(g, k=probe, normalized=False, seed=1)
        estimate = (time.perf_counter() - start) / probe * sources
        if estimate > NETWORKX_LIMIT_S:
            emit(measure, skipped=f"≈ {estimate:,.0f} s (from {probe})")
        else:
            bounded(measure, lambda: nx.betweenness_centrality(g, k=sources, normalized=False, seed=1))

    betweenness("betweenness 500", SAMPLED_SOURCES)
    if args.exact:
        betweenness("betweenness exact", n)
    members = json.loads(Path(args.members).read_text())

    def fof():
        succ = g._succ
        lists = []
        for member in members:
            followed = succ[member]
            paths: dict[int, int] = {}
            for friend in followed:
                for candidate in succ[friend]:
                    paths[candidate] = paths.get(candidate, 0) + 1
            ranked = sorted((item for item in paths.items() if item[0] != member and item[0] not in followed),
                            key=lambda item: (-item[1], item[0]))
            lists.append(ranked[:FOF_K])
        return lists

    bounded("fof top-10", fof)


def peer_scipy(args) -> None:
    import scipy.sparse as sp
    from scipy.sparse import csgraph

    def load():
        edges, n = parse_edges(args.edges)
        n = max(n, args.nodes)
        return sp.csr_array((np.ones(len(edges), dtype=np.int32), (edges[:, 0], edges[:, 1])), shape=(n, n))

    seconds, a = timed_runs(load)
    emit("load", seconds=seconds)
    seconds, _ = timed_runs(lambda: csgraph.connected_components(a, directed=True, connection="weak"))
    emit("wcc", seconds=seconds)
    members = np.array(json.loads(Path(args.members).read_text()), dtype=np.int64)

    def fof():
        rows = a[members]
        paths = (rows @ a).tocsr()
        # Zero out existing follows and the member themself, then drop the zeros.
        own = sp.csr_array((np.ones(len(members), dtype=np.int32), (np.arange(len(members)), members)), shape=paths.shape)
        paths = paths - paths.multiply(rows + own > 0)
        paths.eliminate_zeros()
        lists = []
        for i in range(len(members)):
            start, end = paths.indptr[i], paths.indptr[i + 1]
            nodes, counts = paths.indices[start:end], paths.data[start:end]
            if len(counts) > FOF_K:
                keep = np.argpartition(-counts, FOF_K - 1)[:FOF_K]
                nodes, counts = nodes[keep], counts[keep]
            order = np.lexsort((nodes, -counts))
            lists.append(list(zip(nodes[order].tolist(), counts[order].tolist())))
        return lists

    seconds, lists = timed_runs(fof)
    (Path(args.scratch) / "scipy_fof.json").write_text(json.dumps(lists))
    emit("fof top-10", seconds=seconds)


# ------------------------------------------------------------------------------------------------ driver
def ensure_graph(folder: Path, users: int, seed: int) -> tuple[Path, dict]:
    prefix = f"org_{users // 1000}k_s{seed}"
    edges, meta = folder / f"{prefix}_edges.csv", folder / f"{prefix}_meta.json"
    if not (edges.exists() and meta.exists()):
        print(f"generating {prefix} ({users:,} users, seed {seed}) into {folder} ...", flush=True)
        subprocess.run([sys.executable, str(GENERATOR), "--users", str(users), "--seed", str(seed),
                        "--out-dir", str(folder), "--prefix", prefix], check=True, stdout=subprocess.DEVNULL)
    return edges, json.loads(meta.read_text())


def run_pollen(pollen: str, edges: Path, out: Path, seed: int, *args: str, runs: int = RUNS) -> tuple[dict, dict]:
    """Runs `pollen analyze` up to `runs` times; returns the best milliseconds per step and the last result."""
    best: dict[str, list[float]] = {}
    result, spent = {}, 0.0
    for _ in range(runs):
        started = time.monotonic()
        subprocess.run([pollen, "analyze", "--edges", str(edges), "--threads", str(THREADS), "--seed", str(seed),
                        "--out", str(out), *args], check=True, stdout=subprocess.DEVNULL, timeout=POLLEN_DEADLINE_S)
        result = json.loads(out.read_text())
        for step, ms in result["timings_ms"].items():
            best.setdefault(step, []).append(ms / 1000)
        spent += time.monotonic() - started
        if spent > RUN_BUDGET_S:
            break
    return best, result


def run_peer(tool: str, edges: Path, nodes: int, scratch: Path, exact: bool) -> dict[str, dict]:
    command = [sys.executable, __file__, "peer", tool, "--edges", str(edges), "--nodes", str(nodes),
               "--scratch", str(scratch), "--sources", str(scratch / "sources.json"),
               "--members", str(scratch / "members.json")] + (["--exact"] if exact else [])
    results: dict[str, dict] = {}
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=PEER_DEADLINE_S)
        output, failure = done.stdout, (done.stderr.strip().splitlines() or [""])[-1] if done.returncode else None
    except subprocess.TimeoutExpired as timeout:
        output = timeout.stdout.decode() if isinstance(timeout.stdout, bytes) else (timeout.stdout or "")
        failure = f"deadline {PEER_DEADLINE_S} s"
    for line in output.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            results[record.pop("measure")] = record
    if failure:
        for measure in MEASURES:
            results.setdefault(measure, {"skipped": f"failed: {failure}"[:60]})
    return results


def seconds_text(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def modularity(graph, membership) -> float:
    return graph.modularity(list(map(int, membership)))


def bench_graph(pollen: str, folder: Path, users: int, seed: int) -> list[tuple[str, bool]]:
    import igraph as ig

    edges_path, meta = ensure_graph(folder, users, seed)
    name = edges_path.name.removesuffix("_edges.csv")
    nodes, edge_count = meta["users"], meta["edges"]
    exact = users <= 20_000
    scratch = Path(tempfile.mkdtemp(prefix=f"bench-analytics-{name}-"))
    print(f"\n== {name}: {nodes:,} nodes, {edge_count:,} edges", flush=True)

    print("  pollen ...", flush=True)
    out = folder / f"{name}_pollen.json"
    pollen_times, main = run_pollen(pollen, edges_path, out, seed, "--measures", "pagerank,wcc,louvain")
    sampled_times, sampled = run_pollen(pollen, edges_path, folder / f"{name}_pollen_b500.json", seed,
                                        "--measures", "betweenness", "--samples", str(SAMPLED_SOURCES))
    fof_times, fof = run_pollen(pollen, edges_path, folder / f"{name}_pollen_fof.json", seed, "--measures", "fof",
                                "--fof-members", str(FOF_MEMBERS), "--fof-k", str(FOF_K))
    ours = {
        "load": pollen_times["load"] + sampled_times["load"] + fof_times["load"],
        "pagerank": pollen_times["pagerank"], "wcc": pollen_times["wcc"], "louvain": pollen_times["louvain"],
        "betweenness 500": sampled_times["betweenness"], "fof top-10": fof_times["fof"],
    }
    if exact:
        exact_times, exact_result = run_pollen(pollen, edges_path, folder / f"{name}_pollen_exact.json", seed,
                                               "--measures", "betweenness")
        ours["betweenness exact"] = exact_times["betweenness"]
    (scratch / "sources.json").write_text(json.dumps(sampled["betweenness_sources"]))
    (scratch / "members.json").write_text(json.dumps(fof["fof"]["members"]))

    peers: dict[str, dict[str, dict]] = {}
    for tool in PEERS:
        print(f"  {tool} ...", flush=True)
        peers[tool] = run_peer(tool, edges_path, nodes, scratch, exact)

    # Same work: the peers' answers beside Pollen's.
    edges, _ = parse_edges(str(edges_path))
    undirected = ig.Graph(n=nodes, edges=edges, directed=True).as_undirected(mode="collapse")
    q = {"Pollen": main["modularity"]}
    for tool in ("igraph", "networkit", "networkx"):
        path = scratch / f"{tool}_louvain.npy"
        if path.exists():
            q[tool] = modularity(undirected, np.load(path))
    checks = []
    rank = np.array(main["pagerank"])
    for tool in ("igraph", "networkit"):
        path = scratch / f"{tool}_pagerank.npy"
        if path.exists():
            checks.append(f"PageRank max |Pollen − {tool}| {np.max(np.abs(rank - np.load(path))):.1e}")
    path = scratch / "igraph_betweenness500.npy"
    if path.exists():
        theirs, mine = np.load(path), np.array(sampled["betweenness"])
        checks.append(f"betweenness (500 sources) max rel Pollen vs igraph {np.max(np.abs(mine - theirs) / np.maximum(np.abs(theirs), 1)):.1e}")
    if exact and (scratch / "igraph_betweenness.npy").exists():
        theirs, mine = np.load(scratch / "igraph_betweenness.npy"), np.array(exact_result["betweenness"])
        checks.append(f"exact betweenness max rel Pollen vs igraph {np.max(np.abs(mine - theirs) / np.maximum(np.abs(theirs), 1)):.1e}")
    path = scratch / "scipy_fof.json"
    if path.exists():
        theirs = json.loads(path.read_text())
        same = sum([p for _, p in t] == [r["paths"] for r in m] for t, m in zip(theirs, fof["fof"]["recommendations"]))
        checks.append(f"fof: path counts equal to scipy's for {same} of {len(theirs)} members")

    # The table.
    header = f"  {'measure':<18} {'Pollen':>10} {'igraph':>10} {'networkit':>10} {'networkx':>22} {'scipy':>10}   target"
    print()
    print(header)
    print("  " + "-" * (len(header) + 40))
    best = {"Pollen": {m: min(v) for m, v in ours.items()}}
    verdicts = []
    for measure in MEASURES:
        if measure == "betweenness exact" and not exact:
            continue
        cells = [seconds_text(best["Pollen"].get(measure))]
        for tool in PEERS:
            record = peers[tool].get(measure)
            if record is None:
                cells.append("n/a")
            elif "skipped" in record:
                cells.append("skipped " + record["skipped"])
            else:
                value = min(record["seconds"])
                best.setdefault(tool, {})[measure] = value
                runs = len(record["seconds"])
                cells.append(seconds_text(value) + ("" if runs == RUNS else f" ({runs}×)"))
        target = next(((peer, factor) for m, peer, factor in TARGETS if m == measure), None)
        verdict = ""
        if target:
            peer, factor = target
            mine, theirs = best["Pollen"].get(measure), best.get(peer, {}).get(measure)
            if mine is not None and theirs:
                ratio = mine / theirs
                ok = ratio <= factor
                if measure == "louvain" and "igraph" in q:
                    ok = ok and q["Pollen"] >= q["igraph"] - MODULARITY_SLACK
                verdict = f"≤ {factor:g} × {peer}: {ratio:.3f}  {'PASS' if ok else 'FAIL'}"
                verdicts.append((f"{name} {measure}", ok))
            else:
                verdict = f"≤ {factor:g} × {peer}: no figure  FAIL"
                verdicts.append((f"{name} {measure}", False))
        print(f"  {measure:<18} {cells[0]:>10} {cells[1]:>10} {cells[2]:>10} {cells[3]:>22} {cells[4]:>10}   {verdict}")
    print("  modularity         " + ", ".join(f"{tool} {value:.4f}" for tool, value in q.items())
          + (f"  (Pollen − igraph {q['Pollen'] - q['igraph']:+.4f}; target ≥ −{MODULARITY_SLACK})" if "igraph" in q else ""))
    notes = [f"{tool} pagerank: {record['note']}" for tool in PEERS
             for m, record in peers[tool].items() if m == "pagerank" and "note" in record]
    for line in checks + notes:
        print(f"  {line}")
    for path in scratch.iterdir():
        path.unlink()
    scratch.rmdir()
    return verdicts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    peer = sub.add_parser("peer")
    peer.add_argument("tool", choices=PEERS)
    peer.add_argument("--edges", required=True)
    peer.add_argument("--nodes", type=int, required=True)
    peer.add_argument("--scratch", required=True)
    peer.add_argument("--sources", required=True)
    peer.add_argument("--members", required=True)
    peer.add_argument("--exact", action="store_true")
    bench = sub.add_parser("bench")
    bench.add_argument("--pollen", required=True)
    bench.add_argument("--seed", type=int, default=42)
    bench.add_argument("--dir", default=".bench/analytics")
    bench.add_argument("--users", default="20000,100000", help="comma-separated graph sizes")
    args = parser.parse_args()
    if args.command == "peer":
        {"igraph": peer_igraph, "networkit": peer_networkit, "networkx": peer_networkx, "scipy": peer_scipy}[args.tool](args)
        return 0
    if args.command != "bench":
        parser.print_help()
        return 2
    if not GENERATOR.exists():
        print(f"the graph generator is missing: {GENERATOR} (set POLLEN_GRAPH_GENERATOR)", file=sys.stderr)
        return 2
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    print(f"bench-analytics: seed {args.seed}, {os.cpu_count()} cores, load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}; best of {RUNS} runs per measure (fewer after "
          f"{RUN_BUDGET_S} s), Pollen and networkit on {THREADS} threads")
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1) / 2:
        print(f"WARNING: the load average ({load:.1f}) says other processes want the CPU: every figure suffers, and the "
              f"multi-threaded ones (Pollen, networkit) most. Run on an idle machine for figures to compare.")
    verdicts = []
    for users in map(int, args.users.split(",")):
        verdicts += bench_graph(args.pollen, folder, users, args.seed)
    print(f"\nload average now {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("What each time covers:")
    for tool, text in WHAT_IS_TIMED.items():
        print(f"  {tool}: {text}")
    passed = sum(ok for _, ok in verdicts)
    print(f"\n{passed} of {len(verdicts)} targets met"
          + (f"; missed: {', '.join(name for name, ok in verdicts if not ok)}" if passed < len(verdicts) else "")
          + f" ({time.monotonic() - started:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
