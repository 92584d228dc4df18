"""Do two revisions of the generator build the very same site?  Every file, byte for byte.

    python benchmarks/compare_builds.py BEFORE AFTER [--lectures 2000] [--today 2027-03-01]

BEFORE and AFTER are git revisions of this repository (checked out into temporary worktrees)
or folders holding a checkout.  Each builds the demo catalogue (catalog/) and a synthetic one
(`lvyin synth --lectures N --seed 1`, made by that revision) with the same `--today`; the two
sites of each catalogue are compared file by file.  Differing, missing and extra paths are
printed; the exit status is 1 on any difference.  A restructure of the code (issue 17) must
change no byte.

Both revisions run with this Python: each tree goes first on PYTHONPATH, with its own
`lvyin` entry points (from its pyproject.toml) beside it, so neither uses the other's code.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def checkout(spec: str, scratch: Path) -> Path:
    """A folder holding the code of `spec`: the folder itself, or a fresh worktree of the revision."""
    if Path(spec).is_dir():
        return Path(spec).resolve()
    tree = scratch / f"tree-{len(list(scratch.iterdir()))}"
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--quiet", "--detach", str(tree), spec], check=True)
    return tree


def entry_points(tree: Path, scratch: Path) -> Path:
    """A folder with a `lvyin` distribution whose entry points are those of `tree`'s pyproject.toml."""
    project = tomllib.loads((tree / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    folder = scratch / f"meta-{tree.name}"
    info = folder / "lvyin-0.0.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: lvyin\nVersion: 0.0.0\n", encoding="utf-8")
    lines = []
    for group, table in [("console_scripts", project.get("scripts", {})), *project.get("entry-points", {}).items()]:
        lines.append(f"[{group}]")
        lines.extend(f"{name} = {target}" for name, target in table.items())
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def lvyin(tree: Path, meta: Path, *args: str) -> None:
    """Run `tree`'s `lvyin` command (its console-script target) in `tree`."""
    target = tomllib.loads((tree / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]["lvyin"]
    module, function = target.split(":")
    code = f"import sys; from {module} import {function} as main; sys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tree), str(meta)])}
    env.pop("LVYIN_CATALOG", None)
    for _attempt in range(2):  # once more if a build fails: builds of other checkouts share /dev/shm
        result = subprocess.run([sys.executable, "-c", code, *args], cwd=tree, env=env, capture_output=True, text=True)
        if result.returncode == 0:
            return
        print(f"{tree}: lvyin {args[0]} failed, trying again", flush=True)
    if result.returncode != 0:
        sys.exit(f"{tree}: lvyin {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def build(tree: Path, meta: Path, out: Path, lectures: int, today: str) -> dict[str, Path]:
    """The demo site and the synthetic site of `tree`, built into `out`."""
    synthetic = out / "synth"
    lvyin(tree, meta, "synth", "--lectures", str(lectures), "--seed", "1", "--out", str(synthetic))
    sites = {"demo": out / "demo-site", "synth": out / "synth-site", "synth-catalog": synthetic}
    lvyin(tree, meta, "build", "--catalog", "catalog", "--site-dir", str(sites["demo"]), "--today", today)
    lvyin(tree, meta, "build", "--catalog", str(synthetic / "catalog"), "--site-dir", str(sites["synth"]), "--today", today)
    return sites


def files(root: Path) -> dict[str, Path]:
    return {str(p.relative_to(root)): p for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def differences(a: Path, b: Path) -> list[str]:
    left, right = files(a), files(b)
    out = [f"only in before: {p}" for p in sorted(left.keys() - right.keys())]
    out += [f"only in after:  {p}" for p in sorted(right.keys() - left.keys())]
    out += [f"differs:        {p}" for p in sorted(left.keys() & right.keys())
            if not filecmp.cmp(left[p], right[p], shallow=False)]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before", help="git revision or folder")
    parser.add_argument("after", help="git revision or folder")
    parser.add_argument("--lectures", type=int, default=2000, help="lectures of the synthetic catalogue (default 2000)")
    parser.add_argument("--today", default="2027-03-01", help="the build date of both builds")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (printed)")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="lvyin-compare-"))
    trees = []
    try:
        for spec in (args.before, args.after):
            trees.append(checkout(spec, scratch))
        built = []
        for name, tree in zip(("before", "after"), trees):
            print(f"building {name} ({tree}) …", flush=True)
            built.append(build(tree, entry_points(tree, scratch), scratch / f"out-{name}", args.lectures, args.today))
        problems = []
        for what in ("synth-catalog", "demo", "synth"):
            found = differences(built[0][what], built[1][what])
            count = len(files(built[0][what]))
            print(f"{what}: {count} files, {len(found)} differences")
            problems += [f"{what}: {line}" for line in found]
        for line in problems[:200]:
            print(line)
        return 1 if problems else 0
    finally:
        for tree in trees:
            if tree.is_relative_to(scratch):
                subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=False)
        if args.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
