#!/usr/bin/env python3
"""Pins the few AWS operations the portal's own Glue and CloudWatch Logs clients use.

Reads botocore's published service models (Debian: apt-get install -y python3-botocore) and writes
<service>.json here with the metadata, the chosen operations and every shape they reach (transitively).
The C# tests validate each request the clients send against these input shapes.

    python3 testdata/aws-models/extract.py [botocore data dir]
"""
import json
import os
import sys

DATA = sys.argv[1] if len(sys.argv) > 1 else "/usr/lib/python3/dist-packages/botocore/data"
HERE = os.path.dirname(os.path.abspath(__file__))

SERVICES = {
    "glue": ("glue/2017-03-31/service-2.json", ["GetJobRuns", "GetJobRun", "StartJobRun", "BatchStopJobRun"]),
    "logs": ("logs/2014-03-28/service-2.json", ["GetLogEvents", "FilterLogEvents"]),
}
META_KEYS = ["apiVersion", "endpointPrefix", "jsonVersion", "protocol", "serviceId", "signatureVersion", "signingName", "targetPrefix"]


def reach(shapes, name, seen):
    if name in seen:
        return
    seen.add(name)
    shape = shapes[name]
    for key in ("member", "key", "value"):
        if key in shape:
            reach(shapes, shape[key]["shape"], seen)
    for member in shape.get("members", {}).values():
        reach(shapes, member["shape"], seen)


def strip(obj):
    """Drop documentation strings: the pinned copy keeps only what validation needs."""
    if isinstance(obj, dict):
        return {k: strip(v) for k, v in obj.items() if k not in ("documentation", "documentationUrl")}
    if isinstance(obj, list):
        return [strip(v) for v in obj]
    return obj


def main():
    for service, (path, operations) in SERVICES.items():
        with open(os.path.join(DATA, path)) as f:
            model = json.load(f)
        shapes = model["shapes"]
        seen = set()
        ops = {}
        for op in operations:
            spec = model["operations"][op]
            ops[op] = spec
            for part in ("input", "output"):
                if part in spec:
                    reach(shapes, spec[part]["shape"], seen)
            for err in spec.get("errors", []):
                reach(shapes, err["shape"], seen)
        pinned = {
            "source": f"botocore {path}",
            "metadata": {k: model["metadata"][k] for k in META_KEYS if k in model["metadata"]},
            "operations": strip(ops),
            "shapes": strip({k: shapes[k] for k in sorted(seen)}),
        }
        out = os.path.join(HERE, f"{service}.json")
        with open(out, "w") as f:
            json.dump(pinned, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"{out}: {len(ops)} operations, {len(seen)} shapes")


if __name__ == "__main__":
    main()
