"""`cyberline train` (rebuild the field classifier) and `cyberline eval` (score the extractor)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from cyberline.cli.common import console, err_console


def _pct(value) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def print_result(result: dict) -> None:
    fields = result["fields"]
    table = Table(title=f"{result['items']} items, split {result.get('split', 'all')}")
    for col in ("field", "n", "accuracy", "precision", "recall", "F1", "notes"):
        table.add_column(col, justify="left" if col in ("field", "notes") else "right")
    for name, f in fields.items():
        notes = []
        if "macro_f1_four" in f:
            notes.append(f"macro-F1 (4 motivations) {f['macro_f1_four']:.3f}")
        if "native_accuracy" in f:
            notes.append(f"in the source's vocabulary {_pct(f['native_accuracy'])} (n={f['native_n']})")
        if f.get("null_n"):
            notes.append(f"null-correct {_pct(f['null_accuracy'])} (n={f['null_n']})")
        if f["kind"] == "prf":
            table.add_row(name, str(f["n"]), "", _pct(f["precision"]), _pct(f["recall"]), _pct(f["f1"]), "; ".join(notes))
        else:
            table.add_row(name, str(f.get("n", "")), _pct(f.get("accuracy")), "", "", "", "; ".join(notes))
    console.print(table)
    conf = fields.get("attack_type", {}).get("confusion")
    if conf:
        labels = sorted(set(conf) | {p for row in conf.values() for p in row})
        matrix = Table(title="attack_type confusion (rows gold, columns predicted)")
        matrix.add_column("gold \\ pred")
        for label in labels:
            matrix.add_column(label[:10], justify="right")
        for g in labels:
            if g in conf:
                matrix.add_row(g, *[str(conf[g].get(p, "")) for p in labels])
        console.print(matrix)
    if result["worst_errors"]:
        worst = Table(title=f"worst errors ({result['error_count']} in all; most confident first)")
        for col in ("id", "field", "gold", "predicted", "conf.", "evidence"):
            worst.add_column(col)
        for e in result["worst_errors"]:
            conf_ = e["confidence"]
            worst.add_row(e["id"], e["field"], str(e["gold"]), str(e["predicted"]),
                          "" if conf_ is None else f"{conf_:.2f}", (e["evidence"] or "")[:80])
        console.print(worst)


def register(app: typer.Typer) -> None:
    @app.command("train")
    def train_command(
        out: Path = typer.Option(None, "--out", help="Model folder (default: the one shipped in the package)."),
        no_eval: bool = typer.Option(False, "--no-eval", help="Skip the holdout figures."),
    ) -> None:
        """Rebuild the attack_type / motivation / target_class classifier from datasets/."""
        from cyberline.classify.train import MODEL_DIR, train

        metadata = train(out or MODEL_DIR, evaluate=not no_eval, log=err_console.print)
        console.print_json(json.dumps({"holdout": metadata.get("holdout"),
                                       "training_items": metadata["training_items"]}))

    @app.command("eval")
    def eval_command(
        dataset: Path = typer.Argument(..., exists=True, help="A labelled folder, timeline CSV, VCDB JSONL or HHS CSV."),
        fmt: str = typer.Option(None, "--format", help="folder | timeline | vcdb | hhs (default: detect)."),
        split: str = typer.Option("all", "--split", help="tune | holdout | all"),
        as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
        worst: int = typer.Option(10, "--worst", help="How many of the worst errors to list."),
    ) -> None:
        """Score the extractor against a labelled data set."""
        from cyberline.evaluate.datasets import read_dataset
        from cyberline.evaluate.score import evaluate

        if split not in ("tune", "holdout", "all"):
            raise typer.BadParameter("--split must be tune, holdout or all")
        try:
            items = read_dataset(dataset, fmt)
        except ValueError as exc:
            err_console.print(str(exc))
            raise typer.Exit(2) from exc
        result = evaluate(items, split, worst=worst)
        if as_json:
            print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        else:
            print_result(result)
