#!/usr/bin/env python3
"""A scripted Airbyte source for capstan's fault tests (stdlib only). Its config says what to do:
{"mode": "trace_error" | "hang" | "control" | "fail_first", "marker": <path>}."""
import json, os, subprocess, sys, time

def emit(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()

verb = sys.argv[1]
args = dict(zip(sys.argv[2::2], sys.argv[3::2]))
config = json.load(open(args["--config"])) if "--config" in args else {}
mode = config.get("mode")
schema = {"type": "object", "properties": {"id": {"type": "integer"}}}
if verb == "spec":
    emit({"type": "SPEC", "spec": {"connectionSpecification": {"type": "object", "properties": {"token": {"type": "string", "airbyte_secret": True}}}}})
elif verb == "check":
    emit({"type": "CONNECTION_STATUS", "connectionStatus": {"status": "SUCCEEDED"}})
elif verb == "discover":
    emit({"type": "CATALOG", "catalog": {"streams": [{"name": "items", "json_schema": schema, "supported_sync_modes": ["full_refresh", "incremental"],
                                                      "source_defined_cursor": True, "default_cursor_field": ["id"], "source_defined_primary_key": [["id"]]}]}})
elif verb == "read":
    state = json.load(open(args["--state"])) if "--state" in args else []
    start = state[0]["stream"]["stream_state"]["next"] if state else 0
    print("plain text on stdout, not a message", flush=True)
    if mode == "hang":
        subprocess.Popen(["sleep", str(config.get("sleep", 300))])  # a child in the process group
        time.sleep(300)
    for i in range(start, start + 3):
        emit({"type": "RECORD", "record": {"stream": "items", "data": {"id": i}, "emitted_at": 0}})
    emit({"type": "STATE", "state": {"type": "STREAM", "stream": {"stream_descriptor": {"name": "items", "namespace": None}, "stream_state": {"next": start + 3}}, "sourceStats": {"recordCount": 3.0}}})
    if mode == "control":
        emit({"type": "CONTROL", "control": {"type": "CONNECTOR_CONFIG", "emitted_at": 0, "connectorConfig": {"config": dict(config, token="rotated-secret-2")}}})
    if mode == "trace_error":
        emit({"type": "RECORD", "record": {"stream": "items", "data": {"id": 99}, "emitted_at": 0}})
        emit({"type": "TRACE", "trace": {"type": "ERROR", "emitted_at": 0.5, "error": {"message": "the API said no", "failure_type": "system_error",
                                                                                       "stream_descriptor": {"name": "items"}}}})
    if mode == "fail_first" and not os.path.exists(config["marker"]):
        open(config["marker"], "w").close()
        sys.stderr.write("first attempt fails on purpose\n")
        sys.exit(1)
