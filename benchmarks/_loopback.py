"""Loopback HTTP for the benchmarks and the fault test: a raw keep-alive client, a closed-loop
driver, and the server's and machine's CPU from /proc. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from benchmarks._common import percentiles


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGINT)  # gunicorn: quick shutdown of master and workers
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


class Conn:
    """One keep-alive HTTP/1.1 connection, reopened if the server closes it."""

    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.opened = 0

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.transport.get_extra_info("socket").setsockopt(
            socket.IPPROTO_TCP, socket.TCP_NODELAY, 1
        )
        self.opened += 1

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            await self.open()
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length, close = 0, False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        body = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, body


async def wait_ready(port: int, raw: bytes, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before it was ready")
        conn = Conn(port)
        try:
            status, body = await asyncio.wait_for(conn.request(raw), 10)
            if status == 200:
                return
            raise RuntimeError(f"readiness request got {status}: {body[:300]!r}")
        except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
            last = repr(exc)
            await asyncio.sleep(0.2)
        finally:
            conn.close()
    raise RuntimeError(f"server not ready after {timeout:.0f} s ({last})")


async def drive(
    port: int, requests: list[bytes], *, seconds: float, concurrency: int, max_requests: int
) -> dict:
    latencies: list[float] = []
    statuses: dict[int | str, int] = {}
    sample_error: list[str] = []
    sent = 0
    deadline = time.perf_counter() + seconds
    conns = [Conn(port) for _ in range(concurrency)]

    async def worker(k: int, conn: Conn) -> None:
        nonlocal sent
        i = k
        while time.perf_counter() < deadline and sent < max_requests:
            sent += 1
            raw = requests[i % len(requests)]
            i += concurrency
            t0 = time.perf_counter()
            try:
                status, body = await asyncio.wait_for(conn.request(raw), 30)
            except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
                conn.close()
                statuses[type(exc).__name__] = statuses.get(type(exc).__name__, 0) + 1
                continue
            latencies.append((time.perf_counter() - t0) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
            if status != 200 and not sample_error:
                sample_error.append(f"{status}: {body[:300].decode(errors='replace')}")

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(k, c) for k, c in enumerate(conns)))
    wall = time.perf_counter() - t0
    for c in conns:
        c.close()
    return {
        "wall": wall,
        "latency": percentiles(latencies),
        "statuses": statuses,
        "connections_opened": sum(c.opened for c in conns),
        "sample_error": sample_error[0] if sample_error else "",
    }


def cpu_seconds(pid: int) -> float:
    """User+system CPU of a process and its descendants' live threads, from /proc (Linux)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return 0.0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            pass
    return total


def process_cpu(pids: list[int]) -> dict[int, float]:
    """User+system CPU seconds of each of `pids` still running, from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[p] = (int(fields[11]) + int(fields[12])) / tick
    return out


def machine_busy_seconds() -> float:
    """CPU-seconds all processes on the machine have used since boot, from /proc/stat."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
