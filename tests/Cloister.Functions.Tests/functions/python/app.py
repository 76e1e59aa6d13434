"""The Python test function: the same actions in every runtime."""
import json
import os
import sys
import time


def handler(event, context):
    action = event.get("action") if isinstance(event, dict) else None
    if action == "throw":
        raise ValueError("boom from python")
    if action == "exit":
        print("exiting now")
        sys.exit(3)
    if action == "sleep":
        time.sleep(event["ms"] / 1000)
        return {"pid": os.getpid()}
    if action == "big":
        return "x" * (7 * 1024 * 1024)
    if action == "env":
        return dict(os.environ)
    if action == "log":
        print("hello from " + context.aws_request_id)
        return {"pid": os.getpid()}
    if action == "pid":
        return {"pid": os.getpid(), "remaining": context.get_remaining_time_in_millis() > 0}
    if action == "record":
        client = context.client_context
        with open(os.environ["RECORD"], "a") as record:
            record.write(json.dumps({"id": context.aws_request_id, "client": None if client is None else {"custom": client.custom}}) + "\n")
        if event.get("fail"):
            raise RuntimeError("recorded, failing")
        return {"pid": os.getpid()}
    return event
