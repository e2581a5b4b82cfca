"""Letters per second: a batch of formal notices rendered one after the other on one core.

Each letter goes through the whole of ``render_letter``: mandatory mentions and figure rules,
EPC payload and QR code, JSON, Typst compile to PDF. Every letter differs (file number, debtor,
amount, structured communication), so Typst's memoisation cannot replay an earlier result.

The floor is a bare Typst compile of a one-page document holding one QR code (a different one
each time), with the same compiler reuse: what a letter would cost with no checks, no data and
no layout. The ratio says how far the letters are from it.

Each figure is measured twice: wall-clock time, and the CPU time of this process
(``time.process_time``). On a shared machine the wall clock also counts the time other processes
held the core; the CPU time is the cost of the work itself and the figure to compare between
runs.

``--qr-mask auto`` lets segno score the eight QR masks for every code, as ``epc_qr_svg`` did
before it fixed one (``amicable.domain.epc.QR_MASK``): the two rows side by side show what the
fixed mask saves.

Run: ``.venv/bin/python bench/letters.py [--count N] [--qr-mask auto|0-7] [--header]``. Prints
one markdown table row (``--header`` prints the table header first). Django is set up with
amicable's settings, as the letters' words come from the translation catalogues; no database is
used.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import time
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import django
import typst
from stdnum.be import ogm_vcs

# The letters write their amount lines through gettext, in the debtor's language.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amicable.config.settings")
django.setup()

from amicable.domain import epc  # noqa: E402
from amicable.domain.epc import epc_payload, epc_qr_svg  # noqa: E402
from amicable.domain.mentions import AmountItem, LetterKind  # noqa: E402
from amicable.letters.content import Debtor, LetterData, PostalAddress  # noqa: E402
from amicable.letters.rendering import render_letter  # noqa: E402
from amicable.letters.samples import sample_letter_data  # noqa: E402

HEADER = (
    "| date | CPU | QR mask | letters | letters/s (1 core) | ms/letter | CPU ms/letter "
    "| of which QR code CPU ms | first letter ms | floor CPU ms (bare compile, one QR) "
    "| letter/floor (CPU) |\n"
    "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
)

FLOOR_TEMPLATE = b"""
#set page(paper: "a4")
#set text(font: "Libertinus Serif")
Payment reference #sys.inputs.reference
#image(bytes(sys.inputs.qr), width: 32mm)
"""


def cpu_model() -> str:
    """The CPU model name, as lscpu shows it."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def pin_to_one_core(cpu: int | None = None) -> str:
    """Run this process (and the threads Typst starts) on a single CPU (the first by default)."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned"
    chosen = min(os.sched_getaffinity(0)) if cpu is None else cpu
    os.sched_setaffinity(0, {chosen})
    return f"cpu {chosen}"


def communication(number: int) -> str:
    base = f"{number:010d}"
    return base + ogm_vcs.calc_check_digits(base)


def notices(count: int) -> list[LetterData]:
    """``count`` different, lawful formal notices."""
    template = sample_letter_data(LetterKind.FORMAL_NOTICE, "fr")
    assert template.payment is not None
    letters = []
    for n in range(count):
        principal = Decimal("150.00") + Decimal(n % 5000) / 4
        items = (
            AmountItem("principal", f"facture 2025-{n:06d}", principal),
            AmountItem("interest", "", Decimal("3.68"), "10,50 % l'an"),
            AmountItem("indemnity", "", Decimal("20.00"), "clause 8, art. XIX.4 CDE"),
        )
        total = sum((i.amount for i in items), Decimal("0.00"))
        letters.append(
            replace(
                template,
                reference=f"D-2025-{n:06d}",
                debtor=Debtor(
                    name=f"Débiteur {n}",
                    address=PostalAddress((f"Rue des Tilleuls {n % 300 + 1}",), "4000", "Liège"),
                ),
                items=items,
                payment=replace(
                    template.payment,
                    amount=total,
                    structured_communication=communication(3_000_000_000 + n),
                ),
            )
        )
    return letters


@dataclass(frozen=True, slots=True)
class Timing:
    """Seconds per item: wall clock and CPU time of this process."""

    wall: float
    cpu: float


class Clock:
    """Wall-clock and CPU time since it was made."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = time.process_time()

    def per(self, count: int) -> Timing:
        count = max(count, 1)
        return Timing(
            wall=(time.perf_counter() - self.wall) / count,
            cpu=(time.process_time() - self.cpu) / count,
        )


def bench_letters(letters: list[LetterData]) -> tuple[float, Timing]:
    """Seconds for the first letter (cold: template parse, fonts) and per letter after it."""
    start = time.perf_counter()
    render_letter(letters[0])
    first = time.perf_counter() - start
    gc.collect()
    clock = Clock()
    for data in letters[1:]:
        render_letter(data)
    return first, clock.per(len(letters) - 1)


def bench_qr(letters: list[LetterData]) -> Timing:
    """Seconds per EPC QR code (payload and SVG), the part of a letter done by segno."""
    payments = [data.payment for data in letters if data.payment is not None]
    clock = Clock()
    for payment in payments:
        epc_qr_svg(
            epc_payload(
                beneficiary=payment.beneficiary,
                iban=payment.iban,
                amount=payment.amount,
                reference=payment.structured_communication,
                bic=payment.bic,
            )
        )
    return clock.per(len(payments))


def bench_floor(count: int) -> Timing:
    """Seconds per bare compile of a one-page document with one QR code."""
    compiler = typst.Compiler(ignore_system_fonts=True)
    codes = []
    for n in range(count):
        reference = communication(4_000_000_000 + n)
        payload = epc_payload(
            beneficiary="Clairval SRL",
            iban="BE71096123456769",
            amount=Decimal("100.00") + n,
            reference=reference,
        )
        codes.append({"reference": reference, "qr": epc_qr_svg(payload)})
    compiler.compile(input=FLOOR_TEMPLATE, format="pdf", sys_inputs=codes[0])  # warm up
    clock = Clock()
    for inputs in codes[1:]:
        compiler.compile(input=FLOOR_TEMPLATE, format="pdf", sys_inputs=inputs)
    return clock.per(count - 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="letters to render")
    parser.add_argument("--floor-count", type=int, default=1_000, help="bare compiles")
    parser.add_argument("--cpu", type=int, help="the CPU to run on (default: the first)")
    parser.add_argument(
        "--qr-mask",
        choices=["auto", *map(str, range(8))],
        default=str(epc.QR_MASK),
        help=f"the QR data mask: 'auto' scores all eight per code (default {epc.QR_MASK})",
    )
    parser.add_argument("--header", action="store_true", help="print the table header first")
    options = parser.parse_args()
    epc.QR_MASK = None if options.qr_mask == "auto" else int(options.qr_mask)  # type: ignore[assignment]
    pinned = pin_to_one_core(options.cpu)
    letters = notices(options.count)
    first, per_letter = bench_letters(letters)
    qr = bench_qr(letters[: options.floor_count])
    floor = bench_floor(options.floor_count)
    if options.header:
        print(HEADER)
    print(
        f"| {date.today().isoformat()} | {cpu_model()} ({pinned}) | {options.qr_mask} "
        f"| {options.count:,} "
        f"| {1 / per_letter.wall:,.0f} | {per_letter.wall * 1000:.2f} "
        f"| {per_letter.cpu * 1000:.2f} | {qr.cpu * 1000:.2f} | {first * 1000:.0f} "
        f"| {floor.cpu * 1000:.2f} | {per_letter.cpu / floor.cpu:.1f} |"
    )


if __name__ == "__main__":
    main()
