#!/usr/bin/env python3
"""Second-opinion checker for the capture protocol schemas and examples.

Run from anywhere:  python3 protocol/check.py  [-v] [--outputs DIR]

With --outputs DIR it instead validates DIR/<message>.ndjson, files of messages our
code wrote (the golden files of the Swift tests), against the same schemas and rules.

Needs only the standard library and `jsonschema` 4.x (with `referencing`).
It checks that:

  * every schemas/*.schema.json is a valid draft 2020-12 schema with the
    expected $schema, $id, title and description, a description on every
    property, and only $refs that resolve;
  * every line of examples/<message>.ndjson is compact JSON that validates
    against its message schema: request.<x> lines against request.schema.json
    (and must carry exactly the key <x>, whose value must also validate against
    request.<x>.schema.json); response.<x> likewise; any other <name> against
    <name>.schema.json;
  * example lines also keep the rules JSON Schema cannot express (projections
    sorted by field, key pointers covered by primary-key projections, state
    keys derived from resource path and backfill, range bounds in order,
    unique validated resource paths);
  * the checker's own state-key rule reproduces the examples in README.md;
  * every message schema has at least one example;
  * every line of counterexamples/*.ndjson, an object
    {"schema": <file>, "why": <text>, "instance": <message>}, is REJECTED by
    the named schema (so the schemas are not vacuous).

The last line printed is "N passed, N failed"; the exit status is 1 if
anything failed.
"""

import json
import re
import sys
import unicodedata
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ROOT = Path(__file__).resolve().parent
SCHEMAS = ROOT / "schemas"
EXAMPLES = ROOT / "examples"
COUNTEREXAMPLES = ROOT / "counterexamples"
BASE = "https://capstan.dev/protocol/capture/"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

VERBOSE = "-v" in sys.argv[1:]
passed = 0
failed = 0


def report(ok, what, problems=()):
    global passed, failed
    if ok:
        passed += 1
        if VERBOSE:
            print(f"ok    {what}")
    else:
        failed += 1
        print(f"FAIL  {what}")
        for p in problems:
            print(f"        {p}")


# ---------------------------------------------------------------- formats

format_checker = FormatChecker()


@format_checker.checks("uri")
def _is_uri(value):
    if not isinstance(value, str):
        return True
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$", value) is not None


# ---------------------------------------------------------------- schemas

def load_schemas():
    schemas = {}
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        try:
            schemas[path.name] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            report(False, f"schema {path.name} parses", [str(err)])
    return schemas


def walk(node, pointer=""):
    """Yields (pointer, node) for every dict in a JSON document."""
    if isinstance(node, dict):
        yield pointer, node
        for key, value in node.items():
            yield from walk(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{pointer}/{i}")


def check_schema_file(name, schema, registry):
    problems = []
    if not isinstance(schema, dict):
        report(False, f"schema {name}", ["not a JSON object"])
        return
    if schema.get("$schema") != DRAFT:
        problems.append(f"$schema is {schema.get('$schema')!r}, want {DRAFT!r}")
    if schema.get("$id") != BASE + name:
        problems.append(f"$id is {schema.get('$id')!r}, want {BASE + name!r}")
    for key in ("title", "description"):
        if not isinstance(schema.get(key), str) or not schema[key].strip():
            problems.append(f"missing top-level {key}")
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as err:
        problems.append(f"not a valid 2020-12 schema: {err.message}")

    resolver = registry.resolver(base_uri=BASE + name)
    for pointer, node in walk(schema):
        props = node.get("properties")
        if isinstance(props, dict) and not pointer.endswith("/properties"):
            for prop, sub in props.items():
                if not (isinstance(sub, dict) and isinstance(sub.get("description"), str)
                        and sub["description"].strip()):
                    problems.append(f"{pointer}/properties/{prop}: no description")
        ref = node.get("$ref")
        if isinstance(ref, str):
            try:
                resolver.lookup(ref)
            except Exception as err:  # referencing raises several kinds
                problems.append(f"{pointer}/$ref {ref!r} does not resolve: {err}")
    report(not problems, f"schema {name}", problems)


# ---------------------------------------------------------------- semantics

STATE_KEY_KEEP = set("-_+.=")


def encode_state_key(resource_path, backfill):
    out = []
    for ch in "/".join(resource_path):
        cat = unicodedata.category(ch)
        if ch in STATE_KEY_KEEP or cat.startswith("L") or cat.startswith("N"):
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
    key = "".join(out)
    if backfill:
        key += f".v{backfill}"
    return key


# The examples of README.md section 7; the checker's own rule must agree.
STATE_KEY_CASES = [
    (["public", "table"], 0, "public%2Ftable"),
    (["public", "table"], 1, "public%2Ftable.v1"),
    (["orders"], 0, "orders"),
    (["events"], 1, "events.v1"),
    (["sales/orders 2024"], 0, "sales%2Forders%202024"),
    (["a/cdc", "table+baz"], 3, "a%2Fcdc%2Ftable+baz.v3"),
    (["caf\u00e9"], 0, "caf\u00e9"),
    (["50%"], 0, "50%25"),
]


def check_state_key_rule():
    problems = [f"{path!r}, {backfill}: got {encode_state_key(path, backfill)!r}, want {want!r}"
                for path, backfill, want in STATE_KEY_CASES
                if encode_state_key(path, backfill) != want]
    report(not problems, "state key rule matches the documented examples", problems)


def check_capture_spec(spec, where, problems):
    for i, binding in enumerate(spec.get("bindings", [])):
        at = f"{where}.bindings[{i}]"
        expect = encode_state_key(binding.get("resourcePath", []), binding.get("backfill", 0))
        if "stateKey" in binding and binding["stateKey"] != expect:
            problems.append(f"{at}.stateKey is {binding['stateKey']!r}, want {expect!r}")
        check_collection(binding.get("collection", {}), f"{at}.collection", problems)


def check_collection(collection, where, problems):
    projections = collection.get("projections", [])
    fields = [p.get("field", "") for p in projections]
    if fields != sorted(fields):
        problems.append(f"{where}.projections are not sorted by field: {fields}")
    primary = {p.get("ptr", "") for p in projections if p.get("isPrimaryKey")}
    for ptr in collection.get("key", []):
        if projections and ptr not in primary:
            problems.append(f"{where}: key {ptr!r} has no isPrimaryKey projection")
    partition = {p.get("field") for p in projections if p.get("isPartitionKey")}
    for field in collection.get("partitionFields", []):
        if field not in partition:
            problems.append(f"{where}: partition field {field!r} has no isPartitionKey projection")


def check_semantics(message, problems):
    if not isinstance(message, dict):
        return
    for verb in ("open", "apply"):
        body = message.get(verb)
        if isinstance(body, dict):
            check_capture_spec(body.get("capture", {}), f"{verb}.capture", problems)
            if isinstance(body.get("lastCapture"), dict):
                check_capture_spec(body["lastCapture"], f"{verb}.lastCapture", problems)
    validate = message.get("validate")
    if isinstance(validate, dict):
        for i, binding in enumerate(validate.get("bindings", [])):
            check_collection(binding.get("collection", {}),
                             f"validate.bindings[{i}].collection", problems)
        if isinstance(validate.get("lastCapture"), dict):
            check_capture_spec(validate["lastCapture"], "validate.lastCapture", problems)
    rng = message.get("open", {}).get("range") if isinstance(message.get("open"), dict) else None
    if isinstance(rng, dict):
        for lo, hi in (("keyBegin", "keyEnd"), ("rClockBegin", "rClockEnd")):
            if rng.get(lo, 0) > rng.get(hi, 0):
                problems.append(f"open.range: {lo} > {hi}")
    validated = message.get("validated")
    if isinstance(validated, dict):
        paths = [tuple(b.get("resourcePath", [])) for b in validated.get("bindings", [])]
        if len(paths) != len(set(paths)):
            problems.append("validated.bindings: resource paths are not unique")


# ---------------------------------------------------------------- examples

def validator_for(name, registry, schemas):
    return Draft202012Validator(schemas[name], registry=registry,
                                format_checker=format_checker)


def errors_of(validator, instance):
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
            for e in sorted(validator.iter_errors(instance), key=lambda e: list(e.path))]


def check_examples(registry, schemas, folder=EXAMPLES, require_coverage=True):
    covered = set()
    files = sorted(folder.glob("*.ndjson"))
    if not files:
        report(False, "examples exist", [f"no *.ndjson in {folder}"])
    for path in files:
        stem = path.name[: -len(".ndjson")]
        message_schema = f"{stem}.schema.json"
        kind, _, verb = stem.partition(".")
        if message_schema not in schemas:
            report(False, f"example file {path.name}", [f"no schema {message_schema}"])
            continue
        covered.add(message_schema)
        envelope = f"{kind}.schema.json" if kind in ("request", "response") and verb else None

        raw = path.read_bytes()
        if not raw.endswith(b"\n"):
            report(False, f"{path.name}: ends with a newline")
        lines = raw.decode("utf-8").split("\n")[:-1] if raw else []
        if not lines:
            report(False, f"{path.name}: has examples")
        for n, line in enumerate(lines, 1):
            what = f"{path.name}:{n}"
            problems = []
            try:
                message = json.loads(line)
            except ValueError as err:
                report(False, what, [f"not JSON: {err}"])
                continue
            compact = json.dumps(message, separators=(",", ":"), ensure_ascii=False)
            if compact != line:
                problems.append("not compact JSON (one object, no spaces or newlines)")
            if envelope:
                problems += errors_of(validator_for(envelope, registry, schemas), message)
                keys = [k for k in message if k != "$internal"] if isinstance(message, dict) else []
                if keys != [verb]:
                    problems.append(f"message keys {keys}, want [{verb!r}]")
                else:
                    problems += [f"(inner) {e}" for e in
                                 errors_of(validator_for(message_schema, registry, schemas),
                                           message[verb])]
                check_semantics(message, problems)
            else:
                problems += errors_of(validator_for(message_schema, registry, schemas), message)
            report(not problems, what, problems)

    for name in sorted(schemas) if require_coverage else []:
        if name == "common.schema.json":
            continue
        if name in ("request.schema.json", "response.schema.json"):
            continue
        report(name in covered, f"schema {name} has examples",
               [f"no examples/{name[:-len('.schema.json')]}.ndjson"])


def check_counterexamples(registry, schemas):
    for path in sorted(COUNTEREXAMPLES.glob("*.ndjson")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            what = f"{path.name}:{n}"
            try:
                case = json.loads(line)
                name, why, instance = case["schema"], case["why"], case["instance"]
            except (ValueError, KeyError, TypeError) as err:
                report(False, what, [f"want {{schema, why, instance}}: {err}"])
                continue
            if name not in schemas:
                report(False, what, [f"no schema {name}"])
                continue
            errs = errors_of(validator_for(name, registry, schemas), instance)
            report(bool(errs), f"{what} rejected ({why})",
                   ["was accepted by " + name])


def main():
    schemas = load_schemas()
    registry = Registry().with_resources(
        (BASE + name, Resource.from_contents(schema, default_specification=DRAFT202012))
        for name, schema in schemas.items())
    for name, schema in schemas.items():
        check_schema_file(name, schema, registry)
    if "--outputs" in sys.argv:
        # Validate files of messages our code wrote (golden files), named like examples/.
        folder = Path(sys.argv[sys.argv.index("--outputs") + 1]).resolve()
        check_examples(registry, schemas, folder, require_coverage=False)
    else:
        check_state_key_rule()
        check_examples(registry, schemas)
        check_counterexamples(registry, schemas)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
