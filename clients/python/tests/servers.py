"""Real redis-server processes for the Python tests, like test/harness/redis-server.ts: each on
a free loopback port with its own temporary directory, killed afterwards. Also a Sentinel
watching a master, and a Cluster of three masters made with redis-cli."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import List, Optional

import redis

from requeue import RequeueError

HAVE_REDIS = shutil.which("redis-server") is not None and shutil.which("redis-cli") is not None


def _bindable(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def free_port(cluster: bool = False) -> int:
    """A free loopback port; for a Cluster node one whose bus port (+10000) is free and valid too."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        if not cluster or (port + 10000 <= 65535 and _bindable(port + 10000)):
            return port


def until(check, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except (redis.exceptions.RedisError, RequeueError):  # not there yet: e.g. mid-failover
            pass
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for %s" % what)
        time.sleep(0.05)


class Server:
    """A redis-server (or, with ``sentinel``, redis-server --sentinel on a written config)."""

    def __init__(self, args: Optional[List[str]] = None, sentinel_of: Optional["Server"] = None) -> None:
        self.port = free_port(cluster="--cluster-enabled" in (args or []))
        self.dir = tempfile.mkdtemp(prefix="requeue-py-redis-")
        base = ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir, "--save", "",
                "--appendonly", "no", "--logfile", os.path.join(self.dir, "redis.log")]
        if sentinel_of is not None:
            conf = Path(self.dir) / "sentinel.conf"
            conf.write_text("sentinel monitor mymaster 127.0.0.1 %d 1\n"
                            "sentinel down-after-milliseconds mymaster 1000\n"
                            "sentinel failover-timeout mymaster 5000\n" % sentinel_of.port)
            cmd = ["redis-server", str(conf), "--sentinel"] + base[:4] + base[-2:]
        else:
            cmd = ["redis-server"] + base + (args or [])
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = "redis://127.0.0.1:%d" % self.port
        self.client = redis.Redis(port=self.port, decode_responses=True, socket_timeout=5)
        try:
            until(self.client.ping, 10, "redis-server on %d" % self.port)
        except BaseException:
            self.stop()  # not left running behind a failed test
            raise

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.kill()
            self.proc.wait()
        self.client.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class SentinelSet:
    """A master, its replica and one Sentinel watching them (``mymaster``), ready: the replica
    linked and known to the Sentinel."""

    def __init__(self) -> None:
        started: List[Server] = []
        try:
            master = Server()
            started.append(master)
            replica = Server(["--replicaof", "127.0.0.1", str(master.port)])
            started.append(replica)
            until(lambda: replica.client.info("replication")["master_link_status"] == "up", 20, "replica link")
            sentinel = Server(sentinel_of=master)
            started.append(sentinel)
            until(lambda: sentinel.client.execute_command("SENTINEL", "REPLICAS", "mymaster"), 20,
                  "the sentinel to see the replica")
        except BaseException:
            for server in started:  # none left running when one fails to start
                server.stop()
            raise
        self.master, self.replica, self.sentinel = master, replica, sentinel

    def fail_over(self) -> None:
        """The replica becomes the master, the Sentinel names it, the old master follows it."""
        sentinel, replica = self.sentinel, self.replica
        # A Sentinel's failover does not wait for the replica to catch up, and asynchronous
        # replication may lag under load: what the test wrote must be there before the switch,
        # or the new master lacks it (e.g. a job completed just before comes back active).
        written = int(self.master.client.info("replication")["master_repl_offset"])
        until(lambda: int(replica.client.info("replication")["slave_repl_offset"]) >= written, 30,
              "the replica to catch up")

        def promoted() -> bool:
            if replica.client.info("replication")["role"] == "master":
                return True
            # Asked until it happens: the Sentinel refuses (NOGOODSLAVE) until it has fresh news
            # of the replica, and a failover it started may still abort; while one runs it
            # answers INPROG. Each refusal is an error until() absorbs.
            sentinel.client.execute_command("SENTINEL", "FAILOVER", "mymaster")
            return False

        until(promoted, 60, "the replica promoted")
        until(lambda: sentinel.client.execute_command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")[1]
              == str(replica.port), 30, "the sentinel to name the new master")
        until(lambda: self.master.client.info("replication")["role"] == "slave", 30, "the old master demoted")

    def stop(self) -> None:
        for s in (self.sentinel, self.replica, self.master):
            s.stop()


def start_cluster(masters: int = 3) -> List[Server]:
    nodes: List[Server] = []
    try:
        return _form_cluster(nodes, masters)
    except BaseException:
        for n in nodes:  # none left running when one fails to start
            n.stop()
        raise


def _form_cluster(nodes: List[Server], masters: int) -> List[Server]:
    for _ in range(masters):
        nodes.append(Server(["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                             "--cluster-node-timeout", "2000"]))
    subprocess.run(["redis-cli", "--cluster", "create", *["127.0.0.1:%d" % n.port for n in nodes],
                    "--cluster-replicas", "0", "--cluster-yes"], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=60)
    for n in nodes:
        until(lambda n=n: "cluster_state:ok" in subprocess.run(
            ["redis-cli", "-p", str(n.port), "cluster", "info"], capture_output=True, text=True, timeout=10).stdout,
            30, "cluster_state:ok on %d" % n.port)
    return nodes
