"""Checks `pollen analyze` against networkx, python-igraph and brute-force Python on small graphs.

Run through scripts/compare-analytics (which picks the venv and the pollen binary). The graphs are made in a
temporary folder: organizations from the shared generator (gen_org_graph.py; several sizes and seeds) and a few
random graphs with reciprocal edges, isolated nodes, users missing from the group file and group labels that
need CSV quoting. For each graph, `pollen analyze` runs once with every measure (exact betweenness), once with
betweenness sampled from every node, and twice with a small sample; then each figure is compared:

  degrees             equal to networkx's
  pagerank            max abs difference ≤ 1e-8 from networkx (α 0.85, tight tolerance) and igraph (PRPACK)
  betweenness         relative difference ≤ 1e-9 from igraph's betweenness(directed=True)
  sampled = exact     --samples n (every node a source) gives the exact scores (≤ 1e-9 relative; up to 2,500 nodes)
  sample seeded       --samples 10 twice with one seed: the same 10 distinct sources and scores
  wcc                 the same partition as networkx's weakly connected components
  modularity          networkx's modularity of Pollen's communities within 0.002 of Pollen's figure
  louvain ≥ igraph    Pollen's modularity ≥ igraph's multilevel (Louvain) − 0.002 (medians over 5 seeds each)
  constraint/eff size relative difference ≤ 1e-9 from networkx (effective size per node, as networkx documents
                      it: every node on small graphs, a sample on large)
  ei and ties         group sizes, tie matrix and E-I indices equal to a plain Python count
  brokerage           Gould–Fernandez role counts equal to a brute-force enumeration of open two-paths
  fof                 friends-of-friends top-k equal to a brute-force count (most paths, then lowest id)
  cli errors          bad input gives one line on stderr, exit status 1 and no output file

Prints one row per check and exits non-zero if any fails.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import igraph as ig
import networkx as nx
import numpy as np

GENERATOR = Path(os.environ.get("POLLEN_GRAPH_GENERATOR", "/work/shared/bench/gen_org_graph.py"))
ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")

PAGERANK_ABS = 1e-8
BETWEENNESS_REL = 1e-9
MODULARITY_ABS = 0.002
LOUVAIN_SEEDS = 5
HOLES_REL = 1e-9
EI_ABS = 1e-12
# Above this many nodes, effective size (networkx per node) and brokerage (a Python enumeration) are checked on a
# sample of nodes, and betweenness sampled from every node is not run again.
FULL_CHECK_NODES = 2500
SAMPLE_NODES = 200


# ------------------------------------------------------------------------------------------------ graphs
class Case:
    """One graph on disk with what the checks need to know about it."""

    def __init__(self, name: str, edges_path: Path, users_path: Path, seed: int):
        self.name, self.edges_path, self.users_path, self.seed = name, edges_path, users_path, seed
        with open(edges_path) as f:
            next(f)
            self.edges = [tuple(map(int, line.split(","))) for line in f if line.strip()]
        self.group_of: dict[int, str] = {}
        with open(users_path, newline="") as f:
            rows = csv.reader(f)
            next(rows)
            for row in rows:
                if row:
                    self.group_of[int(row[0])] = row[1]
        ids = [v for e in self.edges for v in e] + list(self.group_of)
        self.n = max(ids) + 1 if ids else 0


def org_case(folder: Path, users: int, seed: int, depts: int, mean_out: float) -> Case:
    prefix = f"org{users}-s{seed}"
    subprocess.run(
        [sys.executable, str(GENERATOR), "--users", str(users), "--seed", str(seed), "--depts", str(depts),
         "--mean-out", str(mean_out), "--out-dir", str(folder), "--prefix", prefix],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return Case(prefix, folder / f"{prefix}_edges.csv", folder / f"{prefix}_users.csv", seed)


def random_case(folder: Path, name: str, n: int, mean_out: float, reciprocity: float, isolated: int,
                unlisted: int, seed: int) -> Case:
    """A random directed graph: no self-loops or duplicates, some reciprocal pairs, `isolated` nodes without edges
    (among them the highest ids, which only the group file names) and `unlisted` users missing from the group
    file. Edges are written in random order."""
    rng = random.Random(seed)
    active = n - isolated
    quiet = set(rng.sample(range(active), isolated // 2)) | set(range(active, n))
    nodes = [v for v in range(n) if v not in quiet]
    edges = set()
    for _ in range(int(len(nodes) * mean_out)):
        a, b = rng.sample(nodes, 2)
        edges.add((a, b))
        if rng.random() < reciprocity:
            edges.add((b, a))
    edges = list(edges)
    rng.shuffle(edges)
    labels = ["Sales", "R&D, Europe", "Ops", 'Legal "core"', "Support"]
    edges_path, users_path = folder / f"{name}_edges.csv", folder / f"{name}_users.csv"
    with open(edges_path, "w") as f:
        f.write("src,dst\n" + "".join(f"{a},{b}\n" for a, b in edges))
    missing = set(rng.sample(range(n - 1), unlisted))   # the last id stays listed: it fixes the node count
    with open(users_path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["user", "team", "site"])
        for v in rng.sample(range(n), n):
            if v not in missing:
                writer.writerow([v, rng.choice(labels), "HQ"])
    return Case(name, edges_path, users_path, seed)


def make_cases(folder: Path) -> list[Case]:
    return [
        org_case(folder, 300, seed=1, depts=6, mean_out=12),
        org_case(folder, 300, seed=2, depts=10, mean_out=8),
        org_case(folder, 2000, seed=3, depts=20, mean_out=20),
        org_case(folder, 5000, seed=4, depts=40, mean_out=20),
        random_case(folder, "rand200-s5", 200, mean_out=3, reciprocity=0.3, isolated=12, unlisted=15, seed=5),
        random_case(folder, "rand600-s6", 600, mean_out=1.2, reciprocity=0.5, isolated=40, unlisted=30, seed=6),
        random_case(folder, "rand80-s7", 80, mean_out=0.8, reciprocity=0.9, isolated=20, unlisted=5, seed=7),
    ]


# ------------------------------------------------------------------------------------------------ pollen
def run_pollen(pollen: str, args: list[str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([pollen, "analyze", *args], capture_output=True, text=True, timeout=timeout)


def analyze(pollen: str, case: Case, out: Path, *extra: str, measures: str | None = None, seed: int | None = None) -> dict:
    args = ["--edges", str(case.edges_path), "--groups", str(case.users_path), "--threads", "2",
            "--seed", str(case.seed if seed is None else seed), "--fof-members", "60", "--fof-k", "7", "--out", str(out), *extra]
    if measures:
        args += ["--measures", measures]
    done = run_pollen(pollen, args)
    if done.returncode != 0:
        raise RuntimeError(f"pollen analyze failed ({done.returncode}): {done.stderr.strip()}")
    with open(out) as f:
        return json.load(f)


# ------------------------------------------------------------------------------------------------ checks
class Report:
    def __init__(self):
        self.rows: list[tuple[str, str, bool, str]] = []

    def add(self, case: str, check: str, ok: bool, detail: str) -> None:
        self.rows.append((case, check, ok, detail))
        print(f"  {case:<13} {check:<20} {'ok  ' if ok else 'FAIL'}  {detail}", flush=True)

    def guard(self, case: str, check: str, body) -> None:
        """Runs one check; an exception (a missing field, a crash) is a failure of that check, not of the run."""
        try:
            ok, detail = body()
        except Exception as error:  # noqa: BLE001 - any error is this check's failure
            ok, detail = False, f"{type(error).__name__}: {error}"
        self.add(case, check, ok, detail)

    @property
    def failures(self) -> int:
        return sum(not ok for _, _, ok, _ in self.rows)


def digraph(case: Case) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(range(case.n))
    g.add_edges_from(case.edges)
    return g


def igraph_directed(case: Case) -> ig.Graph:
    return ig.Graph(n=case.n, edges=case.edges, directed=True)


def undirected_weights(case: Case) -> dict[tuple[int, int], float]:
    """The undirected view Pollen's Louvain works on, as networkx's to_undirected(): one tie of weight 1 per pair
    joined in either direction (or both), self-loops dropped."""
    return {(min(a, b), max(a, b)): 1.0 for a, b in case.edges if a != b}


def relative_error(ours, theirs) -> float:
    worst = 0.0
    for p, r in zip(ours, theirs):
        p = math.nan if p is None else p
        if math.isnan(r) or math.isnan(p):
            if not (math.isnan(r) and math.isnan(p)):
                return math.inf
            continue
        worst = max(worst, abs(p - r) / max(abs(r), 1e-300) if r != 0 else abs(p))
    return worst


def check_degrees(case: Case, result: dict, g: nx.DiGraph):
    ok = (result["in_degree"] == [g.in_degree(v) for v in range(case.n)]
          and result["out_degree"] == [g.out_degree(v) for v in range(case.n)]
          and result["nodes"] == case.n and result["edges"] == len(case.edges))
    return ok, f"{case.n} nodes, {len(case.edges)} edges"


def check_pagerank(case: Case, result: dict, g: nx.DiGraph):
    ours = np.array(result["pagerank"])
    networkx = nx.pagerank(g, alpha=0.85, tol=1e-15, max_iter=100_000)
    vs_nx = float(np.max(np.abs(ours - np.array([networkx[v] for v in range(case.n)]))))
    prpack = np.array(igraph_directed(case).pagerank(damping=0.85, directed=True))
    vs_ig = float(np.max(np.abs(ours - prpack)))
    return max(vs_nx, vs_ig) <= PAGERANK_ABS, f"max abs {vs_nx:.1e} (networkx), {vs_ig:.1e} (igraph)"


def check_betweenness(case: Case, result: dict, igraph_scores: list[float]):
    error = relative_error(result["betweenness"], igraph_scores)
    return error <= BETWEENNESS_REL, f"max rel {error:.1e} vs igraph (max score {max(igraph_scores, default=0):.4g})"


def check_sampled_all(case: Case, sampled: dict, exact: dict):
    error = relative_error(sampled["betweenness"], exact["betweenness"])
    sources_ok = sampled.get("betweenness_sources") == list(range(case.n))
    return error <= BETWEENNESS_REL and sources_ok, f"K = n = {case.n}: max rel {error:.1e}, sources {'all' if sources_ok else 'WRONG'}"


def check_sample_seeded(case: Case, first: dict, second: dict):
    sources = first["betweenness_sources"]
    ok = (sources == second["betweenness_sources"] and first["betweenness"] == second["betweenness"]
          and len(sources) == min(10, case.n) and sources == sorted(set(sources))
          and all(0 <= v < case.n for v in sources))
    return ok, f"sources {sources[:4]}… reproduced" if ok else f"sources {sources} vs {second['betweenness_sources']}"


def canonical(labels) -> list[int]:
    seen: dict = {}
    return [seen.setdefault(label, len(seen)) for label in labels]


def check_wcc(case: Case, result: dict, g: nx.DiGraph):
    theirs = [0] * case.n
    for index, component in enumerate(nx.weakly_connected_components(g)):
        for v in component:
            theirs[v] = index
    ok = canonical(result["component"]) == canonical(theirs) and result["components"] == len(set(theirs))
    return ok, f"{result['components']} components"


def check_modularity(case: Case, result: dict, weights):
    u = nx.Graph()
    u.add_nodes_from(range(case.n))
    u.add_weighted_edges_from((a, b, w) for (a, b), w in weights.items())
    groups = defaultdict(set)
    for v, c in enumerate(result["community"]):
        groups[c].add(v)
    theirs = nx.community.modularity(u, list(groups.values()), weight="weight", resolution=1) if u.number_of_edges() else 0.0
    diff = abs(theirs - result["modularity"])
    count_ok = result["communities"] == len(groups)
    return diff <= MODULARITY_ABS and count_ok, f"{result['communities']} communities, Q {result['modularity']:.6f}, networkx differs by {diff:.1e}"


def check_louvain_vs_igraph(case: Case, ours_by_seed: list[float], weights):
    """Both are randomised heuristics and a small graph's modularity moves by more than 0.002 from seed to seed:
    the medians over LOUVAIN_SEEDS seeds are compared."""
    pairs = list(weights)
    u = ig.Graph(n=case.n, edges=pairs, directed=False)
    theirs_by_seed = []
    for i in range(LOUVAIN_SEEDS):
        random.seed(case.seed + i)
        partition = u.community_multilevel(weights=[weights[p] for p in pairs], resolution=1) if pairs else None
        theirs_by_seed.append(u.modularity(partition.membership, weights=[weights[p] for p in pairs]) if pairs else 0.0)
    ours, theirs = statistics.median(ours_by_seed), statistics.median(theirs_by_seed)
    return (ours >= theirs - MODULARITY_ABS,
            f"median of {LOUVAIN_SEEDS} seeds: Pollen {ours:.4f}, igraph {theirs:.4f} ({ours - theirs:+.4f})")


def memoized_structural_holes():
    """networkx's structural-hole helpers recompute a node's normalising sum (or max) over its neighbours for every
    pair, which makes effective size cubic in the degree. This replaces normalized_mutual_weight by the same
    computation with each node's normaliser remembered per graph: the same numbers in a fraction of the time."""
    module = sys.modules["networkx.algorithms.structuralholes"]
    cache: dict = {}

    def normalized_mutual_weight(G, u, v, norm=sum, weight=None):
        key = (id(G), u, norm, weight)
        scale = cache.get(key)
        if scale is None:
            scale = cache[key] = norm(module.mutual_weight(G, u, w, weight) for w in set(nx.all_neighbors(G, u)))
        return 0 if scale == 0 else module.mutual_weight(G, u, v, weight) / scale

    module.normalized_mutual_weight = normalized_mutual_weight
    return cache


NMW_CACHE = memoized_structural_holes()


def check_holes(case: Case, result: dict, g: nx.DiGraph):
    # Constraint over all nodes takes networkx's sparse-matrix route. Effective size is checked against the
    # per-node formula networkx documents (`nodes=`): its all-nodes matrix shortcut normalises by the other end's
    # strongest tie and gives NaN to nodes with only incoming edges (see Graph.effectiveSize).
    NMW_CACHE.clear()
    constraint = nx.constraint(g)
    nodes = list(range(case.n))
    if case.n > FULL_CHECK_NODES:
        nodes = sorted(random.Random(case.seed).sample(nodes, SAMPLE_NODES))
    effective = nx.effective_size(g, nodes=nodes)
    # networkx's per-node route tests "no neighbours" on successors only, so a node followed by others but following
    # no one gets NaN; Pollen gives it the formula's value, which is the same on the reversed graph (mutual weights
    # do not see direction), where networkx computes it.
    followed_only = [v for v in nodes if g.out_degree(v) == 0 and g.in_degree(v) > 0]
    effective.update(nx.effective_size(g.reverse(copy=False), nodes=followed_only))
    error_c = relative_error(result["constraint"], [constraint[v] for v in range(case.n)])
    error_e = relative_error([result["effective_size"][v] for v in nodes], [effective[v] for v in nodes])
    undefined = sum(math.isnan(constraint[v]) for v in range(case.n))
    scope = "all nodes" if len(nodes) == case.n else f"{len(nodes)} sampled nodes"
    return (max(error_c, error_e) <= HOLES_REL,
            f"max rel {error_c:.1e} (constraint), {error_e:.1e} (effective size, {scope}); {undefined} isolated")


def group_ids(case: Case, labels: list[str]) -> list[int]:
    index = {label: i for i, label in enumerate(labels)}
    return [index[case.group_of[v]] if v in case.group_of else -1 for v in range(case.n)]


def check_ei(case: Case, result: dict):
    groups = result["groups"]
    labels = groups["labels"]
    # Pollen numbers the groups in numeric order when every label is an integer, else in string order.
    values = set(case.group_of.values())
    numeric = all(v.lstrip("-").isdigit() for v in values)
    expected_labels = sorted(values, key=int) if numeric else sorted(values)
    group = group_ids(case, labels)
    count = len(labels)
    sizes = Counter(g for g in group if g >= 0)
    # An edge inside a group is internal to it; any other edge (self-loops aside) is external for each group at its
    # ends, also when the other end has no group.
    ties = [[0.0] * count for _ in range(count)]
    internal, external = [0.0] * count, [0.0] * count
    all_internal = all_external = 0
    for a, b in case.edges:
        if a == b:
            continue
        ga, gb = group[a], group[b]
        if ga >= 0 and gb >= 0:
            ties[ga][gb] += 1
        if ga == gb and ga >= 0:
            internal[ga] += 1
            all_internal += 1
        else:
            for end in {ga, gb}:
                if end >= 0:
                    external[end] += 1
            all_external += 1
    ei = [(external[g] - internal[g]) / (external[g] + internal[g]) if external[g] + internal[g] else None
          for g in range(count)]
    total = case.n          # ungrouped nodes included: ties to them are external
    expected = [((total - sizes[g]) - (sizes[g] - 1)) / (total - 1) if total > 1 and sizes[g] else None
                for g in range(count)]
    overall = (all_external - all_internal) / (all_external + all_internal) if all_external + all_internal else None

    def close(ours, theirs):
        return all((p is None and r is None) or (p is not None and r is not None and abs(p - r) <= EI_ABS)
                   for p, r in zip(ours, theirs)) and len(ours) == len(theirs)

    problems = []
    if labels != expected_labels:
        problems.append("labels")
    if groups["sizes"] != [sizes[g] for g in range(count)]:
        problems.append("sizes")
    if groups["ties"] != ties:
        problems.append("ties")
    if not close(groups["internal_ties"], internal) or not close(groups["external_ties"], external):
        problems.append("internal/external")
    if not close(groups["ei"], ei):
        problems.append("ei")
    if not close(groups["expected_ei"], expected):
        problems.append("expected_ei")
    if not close([groups["overall_ei"]], [overall]):
        problems.append("overall_ei")
    detail = f"{count} groups, overall E-I {overall:.4f}" if overall is not None else f"{count} groups"
    return not problems, detail if not problems else f"differs: {', '.join(problems)}"


def brokerage_roles(case: Case, group: list[int], nodes: list[int]) -> dict[str, list[int]]:
    """Gould–Fernandez roles by brute force: for each broker b and each two-path a → b → c with a, b, c distinct and
    no edge a → c, count b's role by the three groups. A node without a group shares a group with nobody."""
    group = [g if g >= 0 else -1 - v for v, g in enumerate(group)]
    succ, pred = defaultdict(set), defaultdict(set)
    for a, b in case.edges:
        if a != b:
            succ[a].add(b)
            pred[b].add(a)
    roles = {role: [0] * len(nodes) for role in ROLES}
    for i, b in enumerate(nodes):
        gb = group[b]
        for a in pred[b]:
            ga = group[a]
            for c in succ[b]:
                gc = group[c]
                if c == a or c in succ[a]:
                    continue
                if ga == gb == gc:
                    roles["coordinator"][i] += 1
                elif ga == gc:
                    roles["itinerant"][i] += 1
                elif ga == gb:
                    roles["representative"][i] += 1
                elif gb == gc:
                    roles["gatekeeper"][i] += 1
                else:
                    roles["liaison"][i] += 1
    return roles


def check_brokerage(case: Case, result: dict):
    group = group_ids(case, result["groups"]["labels"]) if "groups" in result else None
    if group is None:
        return False, "no groups in the result"
    nodes = list(range(case.n))
    if case.n > FULL_CHECK_NODES:
        nodes = sorted(random.Random(case.seed + 1).sample(nodes, SAMPLE_NODES))
    theirs = brokerage_roles(case, group, nodes)
    wrong = [role for role in ROLES if [result["brokerage"][role][v] for v in nodes] != theirs[role]]
    scope = "all nodes" if len(nodes) == case.n else f"{len(nodes)} sampled nodes"
    totals = ", ".join(f"{role[:4]} {sum(theirs[role])}" for role in ROLES)
    return not wrong, f"{scope}: {totals}" if not wrong else f"{scope}: differs in {', '.join(wrong)}"


def check_fof(case: Case, result: dict):
    fof = result["fof"]
    k, members = fof["k"], fof["members"]
    succ = defaultdict(set)
    for a, b in case.edges:
        succ[a].add(b)
    expected_members = min(60, case.n)
    problems = []
    if len(members) != expected_members or members != sorted(set(members)) or not all(0 <= m < case.n for m in members):
        problems.append("members")
    listed = 0
    for member, recommendations in zip(members, fof["recommendations"]):
        paths = Counter()
        for x in succ[member]:
            for y in succ[x]:
                if y != member and y not in succ[member]:
                    paths[y] += 1
        # Most paths first, then the lowest id.
        best = sorted(((node, p) for node, p in paths.items()), key=lambda item: (-item[1], item[0]))[:k]
        got = [(r["node"], r["paths"]) for r in recommendations]
        listed += len(got)
        if got != best:
            problems.append(f"member {member}")
    if len(fof["recommendations"]) != len(members):
        problems.append("list count")
    return not problems, f"{len(members)} members, k {k}, {listed} recommendations" if not problems else "differs: " + ", ".join(problems[:4])


def check_cli_errors(pollen: str, case: Case, folder: Path):
    out = folder / "should-not-exist.json"
    bad_groups = folder / "bad_users.csv"
    bad_groups.write_text("user,dept\n0,a\n1,b\nx,c\n")
    attempts = {
        "unknown measure": (["--edges", str(case.edges_path), "--measures", "pagerank,pagernk"], 1, "unknown measure"),
        "samples 0": (["--edges", str(case.edges_path), "--measures", "betweenness", "--samples", "0"], 1, "--samples"),
        "ei without groups": (["--edges", str(case.edges_path), "--measures", "ei"], 1, "need --groups"),
        "missing file": (["--edges", str(folder / "nope.csv")], 1, "No such file"),
        "bad group row": (["--edges", str(case.edges_path), "--groups", str(bad_groups), "--measures", "wcc"], 1, "line 4"),
        "bad edge header": (["--edges", str(case.users_path), "--measures", "wcc"], 1, "line 1"),
    }
    unwritable = folder / "no-such-folder" / "result.json"
    problems = []
    for name, (args, status, needle) in attempts.items():
        done = run_pollen(pollen, [*args, "--out", str(out)])
        lines = done.stderr.strip().splitlines()
        if done.returncode != status or len(lines) != 1 or needle not in lines[0] or out.exists():
            problems.append(f"{name} (status {done.returncode}: {done.stderr.strip()[:80]})")
    done = run_pollen(pollen, ["--edges", str(case.edges_path), "--measures", "wcc", "--out", str(unwritable)])
    lines = done.stderr.strip().splitlines()
    if done.returncode != 1 or len(lines) != 1 or "cannot write" not in lines[0] or unwritable.parent.exists():
        problems.append(f"unwritable --out (status {done.returncode}: {done.stderr.strip()[:80]})")
    usage = run_pollen(pollen, ["--edges", str(case.edges_path)])     # no --out
    if usage.returncode == 0:
        problems.append("missing --out accepted")
    detail = (f"{len(attempts)} bad inputs → status 1, one line, no file; an unwritable --out → status 1; "
              f"missing --out → status {usage.returncode}")
    return not problems, detail if not problems else "; ".join(problems)


# ------------------------------------------------------------------------------------------------ main
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pollen", required=True, help="the pollen binary")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print where it is")
    options = parser.parse_args()
    if not GENERATOR.exists():
        print(f"the graph generator is missing: {GENERATOR} (set POLLEN_GRAPH_GENERATOR)", file=sys.stderr)
        return 2

    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="pollen-compare-analytics-"))
    report = Report()
    try:
        cases = make_cases(folder)
        for case in cases:
            print(f"== {case.name}: {case.n} nodes, {len(case.edges)} edges", flush=True)
            try:
                exact = analyze(options.pollen, case, folder / f"{case.name}.json")
                # Every node a source costs an exact run again: done on the graphs up to FULL_CHECK_NODES.
                sampled = analyze(options.pollen, case, folder / f"{case.name}-all.json", "--samples", str(case.n),
                                  measures="betweenness") if case.n <= FULL_CHECK_NODES else None
                few = [analyze(options.pollen, case, folder / f"{case.name}-few{i}.json", "--samples", "10",
                               measures="betweenness") for i in range(2)]
                modularities = [exact["modularity"]] + [
                    analyze(options.pollen, case, folder / f"{case.name}-louvain{i}.json", measures="louvain",
                            seed=case.seed + i)["modularity"] for i in range(1, LOUVAIN_SEEDS)]
            except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as error:
                report.add(case.name, "pollen analyze", False, str(error)[:200])
                continue
            g = digraph(case)
            weights = undirected_weights(case)
            scores = igraph_directed(case).betweenness(directed=True)
            report.guard(case.name, "degrees", lambda: check_degrees(case, exact, g))
            report.guard(case.name, "pagerank", lambda: check_pagerank(case, exact, g))
            report.guard(case.name, "betweenness", lambda: check_betweenness(case, exact, scores))
            if sampled is not None:
                report.guard(case.name, "sampled = exact", lambda: check_sampled_all(case, sampled, exact))
            report.guard(case.name, "sample seeded", lambda: check_sample_seeded(case, *few))
            report.guard(case.name, "wcc", lambda: check_wcc(case, exact, g))
            report.guard(case.name, "modularity", lambda: check_modularity(case, exact, weights))
            report.guard(case.name, "louvain ≥ igraph", lambda: check_louvain_vs_igraph(case, modularities, weights))
            report.guard(case.name, "constraint/eff size", lambda: check_holes(case, exact, g))
            report.guard(case.name, "ei and ties", lambda: check_ei(case, exact))
            report.guard(case.name, "brokerage", lambda: check_brokerage(case, exact))
            report.guard(case.name, "fof", lambda: check_fof(case, exact))
        print("== command-line errors", flush=True)
        report.guard(cases[0].name, "cli errors", lambda: check_cli_errors(options.pollen, cases[0], folder))
    finally:
        if options.keep:
            print(f"kept {folder}")
        else:
            for path in folder.iterdir():
                path.unlink()
            folder.rmdir()

    print()
    print(f"{len(report.rows)} checks, {report.failures} failed, {time.monotonic() - started:.0f} s")
    if report.failures:
        for case, check, ok, detail in report.rows:
            if not ok:
                print(f"FAILED {case} {check}: {detail}", file=sys.stderr)
        return 1
    print("all analytics checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
