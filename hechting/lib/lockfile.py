"""What uv.lock pins, and whether this Python environment holds exactly that.

`make install`, `.ci/run` and the image install the lock file with ``uv sync --locked``; this
module checks the result without uv (the image has no uv): every installed distribution must be
in the lock at its locked version, and every package the app needs (with the asked extras) must
be installed. Standard library only, so it also runs as a plain script before the app is set up:

    python hechting/lib/lockfile.py [--extra dev]       check this environment (exit 1: differs)
    python hechting/lib/lockfile.py --requirement uv    "uv==X --hash=..." for pip, to bootstrap uv
"""

import argparse
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

LOCK_FILE = Path(__file__).resolve().parent.parent.parent / "uv.lock"
PROJECT = "hechting"
# Put there by `python -m venv`, not by the lock.
NOT_LOCKED = {"pip"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read(lock_file: Path = LOCK_FILE) -> dict[str, dict]:
    with open(lock_file, "rb") as file:
        return {canonical(p["name"]): p for p in tomllib.load(file)["package"]}


def needed(packages: dict[str, dict], extras: tuple[str, ...] = ()) -> set[str]:
    """The project's dependencies and theirs, with the asked extras. Dependencies with an
    environment marker (Windows only, older Pythons, ...) are left out: the check below still
    holds them to their locked version when they are installed."""
    root = packages[PROJECT]
    todo = [dep for dep in root.get("dependencies", [])]
    for extra in extras:
        todo += root.get("optional-dependencies", {}).get(extra, [])
    found: set[str] = set()
    while todo:
        dep = todo.pop()
        name = canonical(dep["name"])
        if dep.get("marker") or name in found:
            continue
        found.add(name)
        package = packages[name]
        todo += package.get("dependencies", [])
        for extra in dep.get("extra", []):
            todo += package.get("optional-dependencies", {}).get(extra, [])
    return found


def differences(extras: tuple[str, ...] = (), lock_file: Path = LOCK_FILE) -> list[str]:
    """What differs between this environment and the lock; empty when they agree."""
    packages = read(lock_file)
    installed = {canonical(d.metadata["Name"]): d.version for d in metadata.distributions()}
    problems = []
    for name, version in sorted(installed.items()):
        if name in NOT_LOCKED or name == PROJECT:
            continue
        if name not in packages:
            problems.append(f"{name} {version} is installed but not in uv.lock")
        elif packages[name]["version"] != version:
            problems.append(f"{name} is {version}, uv.lock has {packages[name]['version']}")
    for name in sorted(needed(packages, extras) - installed.keys()):
        problems.append(f"{name} {packages[name]['version']} is in uv.lock but not installed")
    return problems


def requirement(name: str, lock_file: Path = LOCK_FILE) -> str:
    """A pip requirement line for one locked package, with every file's hash."""
    package = read(lock_file)[canonical(name)]
    files = [*package.get("wheels", []), *([package["sdist"]] if "sdist" in package else [])]
    hashes = " ".join(f"--hash={file['hash']}" for file in files)
    return f"{package['name']}=={package['version']} {hashes}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extra", action="append", default=[], help="also check this extra")
    parser.add_argument("--requirement", metavar="NAME", help="print NAME's pip requirement")
    parser.add_argument("--lock-file", type=Path, default=LOCK_FILE)
    args = parser.parse_args(argv)
    if args.requirement:
        print(requirement(args.requirement, args.lock_file))
        return 0
    problems = differences(tuple(args.extra), args.lock_file)
    for problem in problems:
        print(f"not as locked: {problem}", file=sys.stderr)
    if not problems:
        print(f"The installed packages are exactly the locked versions ({args.lock_file.name}).")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
