"""The machine a benchmark ran on, as its results table records it."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import date


def describe_machine() -> str:
    """CPU model (from lscpu), cores, and the versions of Python, Django, psycopg and the
    PostgreSQL server of Django's default connection, with today's date."""
    model = platform.processor() or "unknown CPU"
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in lscpu.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    import django
    import psycopg
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server,) = cursor.fetchone()
    return (
        f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Django {django.get_version()}, psycopg {psycopg.__version__}, PostgreSQL {server}, "
        f"{date.today().isoformat()}"
    )
