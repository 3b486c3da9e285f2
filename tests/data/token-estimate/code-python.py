"""Inventory helpers: parse a CSV of stock levels and report what to reorder."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Item:
    sku: str
    name: str
    on_hand: int
    reorder_at: int
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def needs_reorder(self) -> bool:
        return self.on_hand <= self.reorder_at


def load_items(path: Path) -> list[Item]:
    items: list[Item] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            try:
                items.append(
                    Item(
                        sku=row["sku"].strip(),
                        name=row["name"].strip(),
                        on_hand=int(row["on_hand"]),
                        reorder_at=int(row.get("reorder_at") or 0),
                        tags=tuple(t for t in row.get("tags", "").split(";") if t),
                    )
                )
            except (KeyError, ValueError) as err:
                raise ValueError(f"bad row {row!r}: {err}") from err
    return items


def report(items: list[Item], *, only_tag: str | None = None) -> str:
    lines = []
    for item in sorted(items, key=lambda i: (i.on_hand - i.reorder_at, i.sku)):
        if only_tag and only_tag not in item.tags:
            continue
        if item.needs_reorder:
            short = item.reorder_at - item.on_hand
            lines.append(f"{item.sku:<10} {item.name:<24} short by {short:>4}")
    return "\n".join(lines) if lines else "nothing to reorder"


if __name__ == "__main__":
    import sys

    stock = load_items(Path(sys.argv[1]))
    print(report(stock, only_tag=sys.argv[2] if len(sys.argv) > 2 else None))
