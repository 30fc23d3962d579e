"""Merges the Cobertura files coverlet wrote (one per test project) and prints line coverage.

A line counts as covered if any test project covered it; each source file is counted once.
Exits 1 when the figure is below the floor (90% unless COVERAGE_FLOOR says otherwise), or when a project under
src/ is missing from every report (coverlet leaves out an assembly it cannot instrument, without failing).
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

root = sys.argv[1] if len(sys.argv) > 1 else "TestResults"
floor = float(os.environ.get("COVERAGE_FLOOR", "90"))
lines = {}
for path in glob.glob(os.path.join(root, "**", "coverage.cobertura.xml"), recursive=True):
    tree = ET.parse(path)
    sources = [s.text for s in tree.iter("source") if s.text]
    for cls in tree.iter("class"):
        filename = cls.get("filename")
        # Each report names files relative to its own <source>; make them absolute so reports merge.
        if not os.path.isabs(filename):
            for source in sources:
                candidate = os.path.join(source, filename)
                if os.path.exists(candidate):
                    filename = candidate
                    break
        for line in cls.iter("line"):
            key = (filename, int(line.get("number")))
            lines[key] = lines.get(key, False) or int(line.get("hits", "0")) > 0
if not lines:
    print("coverage: no coverage data found", file=sys.stderr)
    sys.exit(1)
covered = sum(1 for hit in lines.values() if hit)
pct = 100.0 * covered / len(lines)
by_project = {}
for (filename, _), hit in lines.items():
    parts = filename.replace("\\", "/").split("/")
    project = next((p for p in parts if p.startswith("Quilt")), "?")
    c, t = by_project.get(project, (0, 0))
    by_project[project] = (c + (1 if hit else 0), t + 1)
for project, (c, t) in sorted(by_project.items()):
    print(f"coverage: {project}: {100.0 * c / t:.1f}% ({c}/{t})")
print(f"coverage: line {pct:.1f}% ({covered}/{len(lines)} lines), floor {floor:.0f}%")
here = os.path.dirname(os.path.abspath(__file__))
expected = {d for d in os.listdir(os.path.join(here, "..", "src")) if os.path.isdir(os.path.join(here, "..", "src", d))}
missing = sorted(expected - set(by_project))
if missing:
    print(f"coverage: no data for {', '.join(missing)} (coverlet could not instrument it?)", file=sys.stderr)
    sys.exit(1)
sys.exit(0 if pct >= floor else 1)
