#!/usr/bin/env python3
"""Fails when an #include crosses a layer upward or sideways.

The allowed arrows are read from the ```layers block of docs/ARCHITECTURE.md, so the picture and
the check cannot disagree. A file's layer is its folder: src/<layer>/ and include/calm/<layer>/
(include/calm/calm.hpp belongs to api), cli/ and python/src/ are the front ends. Method families
(src/models/<family>/) may include their own folder and models/families.hpp, never another family.
Usage: python3 scripts/check_layers.py [repo-root]
       python3 scripts/check_layers.py --self-test   (the check finds each kind of violation)
"""

from __future__ import annotations

import os
import re
import sys
from typing import Dict, List, Optional, Set, Tuple

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')
SOURCES = ("src", "include/calm", "cli", "python/src")


def read_arrows(root: str) -> Dict[str, Set[str]]:
    text = open(os.path.join(root, "docs", "ARCHITECTURE.md"), encoding="utf-8").read()
    block = re.search(r"```layers\n(.*?)```", text, re.S)
    if not block:
        sys.exit("check_layers: docs/ARCHITECTURE.md has no ```layers block")
    arrows: Dict[str, Set[str]] = {}
    for line in block.group(1).splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        source, _, targets = line.partition("->")
        arrows[source.strip()] = set(targets.split())
    return arrows


def layer_of(path: str) -> Tuple[str, Optional[str]]:
    """(layer, family) of a repository-relative path; family only for src/models/<family>/."""
    parts = path.split("/")
    if parts[0] == "cli":
        return "cli", None
    if parts[0] == "python":
        return "python", None
    if parts[0] == "include":
        parts = ["src"] + parts[2:]
        if len(parts) == 2:  # include/calm/calm.hpp: the umbrella header of the API
            return "api", None
    if parts[1] == "models" and len(parts) > 3:
        return "models", parts[2]
    return parts[1], None


def resolve(root: str, source: str, name: str) -> Optional[str]:
    for base in ("include", "src", os.path.dirname(source)):
        candidate = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(os.path.join(root, candidate)):
            return candidate
    return None  # a system or third-party header


def check(root: str) -> List[str]:
    arrows = read_arrows(root)
    problems: List[str] = []
    for top in SOURCES:
        for folder, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if not name.endswith((".hpp", ".cpp", ".h")):
                    continue
                source = os.path.relpath(os.path.join(folder, name), root)
                src_layer, src_family = layer_of(source)
                if src_layer not in arrows:
                    problems.append(f"{source}: layer '{src_layer}' is not in the layers block")
                    continue
                for number, line in enumerate(open(os.path.join(root, source), encoding="utf-8"), 1):
                    match = INCLUDE.match(line)
                    target = match and resolve(root, source, match.group(1))
                    if not target:
                        continue
                    dst_layer, dst_family = layer_of(target)
                    where = f"{source}:{number}: includes {target}"
                    if dst_layer == src_layer:
                        if src_family and dst_family and src_family != dst_family:
                            problems.append(f"{where} (family {src_family} -> family {dst_family}:"
                                            " shared code belongs in learn/, transform/ or core/)")
                        elif src_family is None and dst_family and src_layer == "models":
                            problems.append(f"{where} (the models layer index may not include a "
                                            "family)")
                        continue
                    if dst_layer == "models" and dst_family is not None:
                        problems.append(f"{where} (outside src/models/ only models/families.hpp "
                                        "is visible)")
                        continue
                    if dst_layer not in arrows[src_layer]:
                        allowed = " ".join(sorted(arrows[src_layer])) or "nothing"
                        problems.append(f"{where} ({src_layer} -> {dst_layer} is not an allowed "
                                        f"arrow; {src_layer} may include: {allowed})")
    return problems


def self_test() -> int:
    """A miniature tree with one include of each forbidden kind, and a clean one."""
    import tempfile

    files = {
        "docs/ARCHITECTURE.md": "```layers\napi -> models core\nmodels -> core\ncore ->\n```\n",
        "src/core/a.hpp": "",
        "src/core/up.cpp": '#include "api/b.hpp"\n',  # core -> api: upward
        "src/api/b.hpp": '#include "core/a.hpp"\n#include "models/families.hpp"\n',
        "src/api/c.cpp": '#include "models/x/x.hpp"\n',  # a family's internals from outside
        "src/models/families.hpp": "",
        "src/models/x/x.hpp": '#include "models/families.hpp"\n#include "core/a.hpp"\n',
        "src/models/y/y.cpp": '#include "models/x/x.hpp"\n',  # family -> family
    }
    with tempfile.TemporaryDirectory() as root:
        for path, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
            with open(os.path.join(root, path), "w", encoding="utf-8") as out:
                out.write(text)
        found = sorted(p.split(":")[0] for p in check(root))
    expected = ["src/api/c.cpp", "src/core/up.cpp", "src/models/y/y.cpp"]
    if found != expected:
        print(f"check_layers self-test: expected violations in {expected}, found {found}")
        return 1
    print("check_layers self-test: the three planted violations were found, nothing else")
    return 0


def main() -> int:
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    problems = check(os.path.abspath(root))
    for p in problems:
        print(p)
    print(f"check_layers: {len(problems)} include(s) against docs/ARCHITECTURE.md's arrows")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
