"""Throughput under Odoo's multi-process server, driven by concurrent XML-RPC clients.

Used by bench.py (benchmark 6): ``OdooServer`` starts odoo-bin with ``--workers=2`` and a
cron worker on a free local port, ``drive`` runs one phase (N client threads calling the
server for a fixed time) and returns its figures. Not part of the test suite.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import xmlrpc.client

import odoo


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OdooServer:
    """odoo-bin on the benchmark database: 2 HTTP workers, 1 cron worker, 127.0.0.1 only."""

    def __init__(self, config_path, dbname, log_path):
        self.config_path = config_path
        self.dbname = dbname
        self.log_path = log_path
        self.port = free_port()
        self.process = None
        self.log = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        odoo_bin = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")
        command = [
            sys.executable,
            odoo_bin,
            "-c",
            self.config_path,
            "-d",
            self.dbname,
            f"--db-filter=^{self.dbname}$",
            "--workers=2",
            "--max-cron-threads=1",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            f"--gevent-port={free_port()}",
            "--log-level=warn",
            "--no-database-list",
        ]
        self.log = open(self.log_path, "w", encoding="utf-8")  # closed in __exit__
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common")
        while True:
            try:
                common.version()
                return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.__exit__(None, None, None)
                    raise RuntimeError(f"odoo-bin did not start; its log: {self.log_path}") from None
                time.sleep(0.5)

    def __exit__(self, exc_type, exc, traceback):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log:
            self.log.close()

    def login(self, login, password):
        common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common")
        uid = common.authenticate(self.dbname, login, password, {})
        if not uid:
            raise RuntimeError(f"{login} cannot log in to {self.dbname}")
        return Client(self, uid, password)

    def error_lines(self):
        """ERROR and CRITICAL lines of the server's log so far."""
        self.log.flush()
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            return [line.rstrip() for line in log if " ERROR " in line or " CRITICAL " in line]


class Client:
    """One XML-RPC connection (one per thread: ServerProxy is not thread-safe)."""

    def __init__(self, server, uid, password):
        self.dbname = server.dbname
        self.uid = uid
        self.password = password
        self.proxy = xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/object", allow_none=True)

    def call(self, model, method, *args, **kwargs):
        return self.proxy.execute_kw(self.dbname, self.uid, self.password, model, method, list(args), kwargs)


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def drive(clients, operation, seconds):
    """Each client calls ``operation(client, index, n)`` in a loop for ``seconds`` (n counts
    that client's operations); returns ops, ops/s, p50 and p95 latency (ms), errors and the
    first error messages. What ``operation`` returns labels its latency (``labels``, in
    the order of ``latencies``), e.g. which visit of a lead it was."""
    latencies, labels, errors, messages = [], [], [], []
    lock = threading.Lock()
    start = time.monotonic()
    deadline = start + seconds

    def work(index, client):
        n = 0
        mine, my_labels, failed = [], [], 0
        while time.monotonic() < deadline:
            begin = time.perf_counter()
            try:
                label = operation(client, index, n)
                mine.append(time.perf_counter() - begin)
                my_labels.append(label)
            except Exception as error:  # every failure is an error of the phase
                failed += 1
                with lock:
                    if len(messages) < 3:
                        messages.append(str(getattr(error, "faultString", error)).strip().splitlines()[-1][:200])
            n += 1
        with lock:
            latencies.extend(mine)
            labels.extend(my_labels)
            errors.append(failed)

    threads = [threading.Thread(target=work, args=(i, client)) for i, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    return {
        "ops": len(latencies),
        "seconds": elapsed,
        "ops_per_s": len(latencies) / elapsed,
        "p50_ms": 1000 * percentile(latencies, 0.5),
        "p95_ms": 1000 * percentile(latencies, 0.95),
        "errors": sum(errors),
        "messages": messages,
        "latencies": latencies,
        "labels": labels,
    }


def labelled(figures, label):
    """Number and p50 latency (ms) of the operations of ``figures`` labelled ``label``."""
    mine = [latency for latency, own in zip(figures["latencies"], figures["labels"], strict=True) if own == label]
    return len(mine), 1000 * percentile(mine, 0.5)


def warm_up(clients, operation, count=2, timeout=300):
    """Each client runs ``operation`` ``count`` times, untimed: the workers load the
    registry and fill their caches before a phase's clock runs."""

    def work(index, client):
        deadline = time.monotonic() + timeout
        done = 0
        while done < count and time.monotonic() < deadline:
            try:
                operation(client, index, 1000 + done)
                done += 1
            except Exception:  # the phase counts errors, the warm-up retries
                time.sleep(1)

    threads = [threading.Thread(target=work, args=(i, client)) for i, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def merge(runs):
    """Figures of several rounds of the same phase, as one."""
    latencies = [latency for r in runs for latency in r["latencies"]]
    labels = [label for r in runs for label in r["labels"]]
    seconds = sum(r["seconds"] for r in runs)
    return {
        "ops": len(latencies),
        "seconds": seconds,
        "ops_per_s": len(latencies) / seconds,
        "p50_ms": 1000 * percentile(latencies, 0.5),
        "p95_ms": 1000 * percentile(latencies, 0.95),
        "errors": sum(r["errors"] for r in runs),
        "messages": [m for r in runs for m in r["messages"]][:3],
        "latencies": latencies,
        "labels": labels,
        "after_seconds": sum(r.get("after_seconds", 0.0) for r in runs),
    }


def add_after(figures, seconds):
    """``figures`` of a phase whose work a job finishes after it, in ``seconds``: they
    count in the phase's time, so in its ops/s."""
    total = figures["seconds"] + seconds
    return dict(
        figures,
        seconds=total,
        ops_per_s=figures["ops"] / total,
        after_seconds=figures.get("after_seconds", 0.0) + seconds,
    )
