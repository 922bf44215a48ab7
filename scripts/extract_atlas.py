"""Write the MITRE ATLAS technique ids and names the register validates against
(src/channelguard/data/atlas_techniques.json) from ../shared/reference/ATLAS.yaml.

MITRE ATLAS v5.6.0, Apache-2.0, Copyright 2021-2025 MITRE: ids and names only,
shipped with that attribution (../shared/reference/README.md).

    python scripts/extract_atlas.py [--atlas ../shared/reference/ATLAS.yaml]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

from channelguard.errors import InputError, run_script

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/channelguard/data/atlas_techniques.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--atlas", default=str(ROOT.parent / "shared/reference/ATLAS.yaml"))
    args = parser.parse_args()
    path = Path(args.atlas)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    techniques = {}
    for matrix in data["matrices"]:
        for tech in matrix.get("techniques", []):
            techniques[tech["id"]] = tech["name"]
    for tech in data.get("techniques", []):
        techniques[tech["id"]] = tech["name"]
    out = {
        "source": f"MITRE ATLAS v{data['version']} (mitre-atlas/atlas-data dist/ATLAS.yaml)",
        "licence": "Apache-2.0, Copyright 2021-2025 MITRE; ids and names only",
        "techniques": dict(sorted(techniques.items())),
    }
    OUT.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({"wrote": str(OUT.relative_to(ROOT)), "techniques": len(techniques)}))


if __name__ == "__main__":
    run_script(main)
