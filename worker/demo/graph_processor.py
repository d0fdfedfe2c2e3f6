"""The demo's graph processor, written in Python on clients/python (docs/python.md): the graph
queue's consumer when /usr/bin/python3 has python3-redis (worker/demo/python.ts starts it).
The same work and the same failures as the TypeScript processors (worker/demo/processors.ts and
services.ts): a cyclic graph is refused (UnrecoverableError: straight to the DLQ), the graph
database times out or answers 503 for a flaky job now and then (retried), and a poison message
(a self-referencing hierarchy, depth -1) recurses until RecursionError on every attempt. Its
dead letters carry Python frames; the console shows and groups them like any other.

Settings: the demo's environment (REDIS_URL, REDIS_KEY_PREFIX, …, DEMO_TRANSIENT_RATE and
DEMO_CONCURRENCY as worker/demo/python.ts passes them)."""
import os
import random
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Dict

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "clients" / "python"))

from requeue import Cache, Job, Queue, UnrecoverableError  # noqa: E402


class NetworkTimeoutError(Exception):
    pass


class ServiceUnavailableError(Exception):
    pass


GRAPHDB = {"name": "neo4j", "host": "neo4j.internal:7687", "latency": (20, 150)}


def between(lo: int, hi: int) -> int:
    return random.randint(lo, hi)


def flaky(key: str, rate: float) -> bool:
    """Stable per job (FNV-1a, as services.ts): does this job's request land on a flaky replica?"""
    h = 2166136261
    for unit in key.encode("utf-16-le")[::2]:  # ASCII keys: one byte per UTF-16 unit
        h = ((h ^ unit) * 16777619) & 0xFFFFFFFF
    return h / 2**32 < rate


def call(service: Dict[str, Any], job_key: str, transient_rate: float) -> None:
    """Calls the simulated service: a flaky job's dependency fails half its calls."""
    time.sleep(between(*service["latency"]) / 1000)
    if not flaky("%s:%s" % (job_key, service["host"]), transient_rate / 2) or random.random() >= 0.5:
        return
    ip = "10.0.%d.%d" % (between(0, 9), between(2, 250))
    if random.random() < 0.5:
        raise NetworkTimeoutError("timeout after %dms calling %s at %s (request %s)"
                                  % (random.choice([5000, 10000, 30000]), service["name"], ip, uuid.uuid4()))
    raise ServiceUnavailableError("%s answered 503 Service Unavailable after %dms (upstream %s, trace %s)"
                                  % (service["name"], between(3, 900), ip, uuid.uuid4()))


def load_ontology(document_id: int) -> Dict[str, Any]:
    """The slow read a cache is for: the document's ontology from the graph database."""
    time.sleep(between(*GRAPHDB["latency"]) / 1000)
    return {"documentId": document_id, "labels": ["Person", "Organisation", "Place"], "relations": 12}


def walk_hierarchy(depth: int) -> int:
    """The bug: a self-referencing hierarchy (depth -1) never ends."""
    return 0 if depth == 0 else 1 + walk_hierarchy(depth - 1)


def main() -> None:
    transient_rate = float(os.environ.get("DEMO_TRANSIENT_RATE") or 0.2)
    concurrency = int(os.environ.get("DEMO_CONCURRENCY") or 4)

    # Python's cache hits show on the console's cache page next to TypeScript's (namespace graph).
    graphs = Cache("graph")

    def process(job: Job) -> Dict[str, Any]:
        time.sleep(between(20, 120) / 1000)
        p = job.data
        doc = p["documentId"]
        graphs.get_or_set("ontology:%s" % doc, lambda: load_ontology(doc), tags=["document:%s" % doc])
        seen = set()
        for a, b in p["edges"]:
            if b <= a:
                raise UnrecoverableError("invalid graph for job %s: cycle from n%d back to n%d" % (p["jobId"], a, b))
            seen.update((a, b))
        job.progress(10)
        levels = walk_hierarchy(p["depth"])
        call(GRAPHDB, "graph:%s" % job.id, transient_rate)
        job.log("knowledge graph of document %s: %d nodes, %d levels" % (p["documentId"], len(seen), levels))
        return {"nodes": len(seen), "levels": levels}

    print("python graph processor: consuming the graph queue (concurrency %d)" % concurrency, flush=True)
    Queue("graph").process(process, concurrency=concurrency)


if __name__ == "__main__":
    main()
