"""The CPU time of a database's PostgreSQL backends while a benchmark's child process runs."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import psycopg


class BackendCPU(threading.Thread):
    """Samples the CPU time of the client backends of ``database`` until :attr:`done` is set.

    The child's own CPU time comes from ``wait4``; its PostgreSQL backend is another process,
    whose time is read from ``/proc`` (the server runs on this machine) until it exits. The
    sampler itself reads from the ``postgres`` database, so it never counts its own backend.
    """

    def __init__(self, server: str, database: str) -> None:
        super().__init__(daemon=True)
        self.server, self.database = server, database
        self.seen: dict[int, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as connection:
            while not self.done.is_set():
                pids = connection.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s "
                    "AND backend_type = 'client backend'",
                    (self.database,),
                ).fetchall()
                for (pid,) in pids:
                    try:
                        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    except OSError:
                        continue
                    self.seen[pid] = (int(fields[11]) + int(fields[12])) / tick
                self.done.wait(0.2)

    @property
    def seconds(self) -> float:
        return sum(self.seen.values())
