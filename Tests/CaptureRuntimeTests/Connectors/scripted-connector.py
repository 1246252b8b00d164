#!/usr/bin/env python3
"""A scripted Flow capture connector for the runtime's fault tests.

Its behaviour comes from the SCRIPT environment variable, a JSON list of steps run after `opened`
(or, for unary requests, the response to write). Steps:
  {"doc": {...}, "binding": 0}           a captured document
  {"docs": N, "binding": 0, "size": B}   N generated documents {"id": i, "pad": "x"*B}
  {"checkpoint": {...}, "merge": true}   a checkpoint with that state update
  {"raw": "text"}                        a raw stdout line
  {"log": "message", "level": "error"}   a JSON log line on stderr
  {"exit": code}                         exit now with that status
  {"sleep": seconds}
  {"ack_wait": N}                        read N acknowledge lines from stdin and log each
OPENED_ACKS=1 asks for explicit acknowledgements.
"""
import json, os, sys, time

def out(message):
    sys.stdout.write(json.dumps(message, separators=(",", ":")) + "\n")
    sys.stdout.flush()

def log(message, level="info"):
    sys.stderr.write(json.dumps({"level": level, "msg": message}) + "\n")
    sys.stderr.flush()

request = json.loads(sys.stdin.readline())
script = json.loads(os.environ.get("SCRIPT", "[]"))
if "spec" in request:
    out({"spec": {"protocol": 3032023, "configSchema": {"type": "object"}, "resourceConfigSchema": {"type": "object"},
                  "documentationUrl": "https://example.com", "resourcePathPointers": ["/name"]}})
    sys.exit(0)
if "open" not in request:
    for step in script:
        if "raw" in step: sys.stdout.write(step["raw"] + "\n"); sys.stdout.flush()
        if "log" in step: log(step["log"], step.get("level", "info"))
        if "exit" in step: sys.exit(step["exit"])
    sys.exit(0)

out({"opened": {"explicitAcknowledgements": True}} if os.environ.get("OPENED_ACKS") == "1" else {"opened": {}})
for step in script:
    if "doc" in step:
        out({"captured": {"binding": step.get("binding", 0), "doc": step["doc"]}})
    elif "docs" in step:
        for i in range(step["docs"]):
            out({"captured": {"binding": step.get("binding", 0), "doc": {"id": step.get("start", 0) + i, "pad": "x" * step.get("size", 8)}}})
    elif "checkpoint" in step:
        out({"checkpoint": {"state": {"updated": step["checkpoint"], "mergePatch": step.get("merge", True)}}})
    elif "raw" in step:
        sys.stdout.write(step["raw"] + "\n"); sys.stdout.flush()
    elif "log" in step:
        log(step["log"], step.get("level", "info"))
    elif "exit" in step:
        sys.exit(step["exit"])
    elif "sleep" in step:
        time.sleep(step["sleep"])
    elif "ack_wait" in step:
        for _ in range(step["ack_wait"]):
            log("ack " + sys.stdin.readline().strip())
