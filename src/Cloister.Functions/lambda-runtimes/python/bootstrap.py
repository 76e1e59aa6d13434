"""Cloister's Python runtime: loads LAMBDA_TASK_ROOT/<module>.<function> and serves it over the Lambda Runtime API
(2018-06-01), as Lambda's python runtime does. Written for Cloister; no AWS code."""
import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
HOST, PORT = API.rsplit(":", 1)
TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
HANDLER = os.environ.get("_HANDLER", "")
PREFIX = "/2018-06-01/runtime"

_connection = http.client.HTTPConnection(HOST, int(PORT))
_request_id = None


def _call(method, path, body=None, headers=None):
    global _connection
    for attempt in range(2):
        try:
            _connection.request(method, PREFIX + path, body=body, headers=headers or {})
            response = _connection.getresponse()
            return response.status, dict((k.lower(), v) for k, v in response.getheaders()), response.read()
        except (http.client.HTTPException, ConnectionError):
            if attempt:
                raise
            _connection.close()
            _connection = http.client.HTTPConnection(HOST, int(PORT))


class LambdaContext:
    """What Lambda passes as the handler's second argument."""

    def __init__(self, headers):
        self.aws_request_id = headers.get("lambda-runtime-aws-request-id")
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self._deadline_ms = int(headers.get("lambda-runtime-deadline-ms", "0"))
        client_context = headers.get("lambda-runtime-client-context")
        identity = headers.get("lambda-runtime-cognito-identity")
        self.client_context = json.loads(client_context) if client_context else None
        self.identity = json.loads(identity) if identity else None

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


class _LambdaFormatter(logging.Formatter):
    """Lambda's log line: [LEVEL]\\t<time>Z\\t<request id>\\t<message>, its newlines as \\r."""

    def format(self, record):
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + ".%03dZ" % record.msecs
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return "[%s]\t%s\t%s\t%s" % (record.levelname, stamp, _request_id, message.replace("\n", "\r"))


def _configure_logging():
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(_LambdaFormatter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.WARNING)


def _error(exc):
    frames = traceback.extract_tb(exc.__traceback__)
    return {
        "errorMessage": str(exc),
        "errorType": type(exc).__name__,
        "requestId": _request_id or "",
        "stackTrace": traceback.format_list(frames),
    }


def _log_error(error):
    lines = ["[ERROR] %s: %s" % (error["errorType"], error["errorMessage"]), "Traceback (most recent call last):"]
    lines += [frame.rstrip("\n") for frame in error.get("stackTrace", [])]
    sys.stdout.write("\r".join(lines).replace("\n", "\r") + "\n")


def _init_error(error_type, message):
    error = {"errorMessage": message, "errorType": error_type, "requestId": "", "stackTrace": []}
    _log_error(error)
    _call("POST", "/init/error", json.dumps(error), {"Lambda-Runtime-Function-Error-Type": error_type})
    sys.exit(1)


def _load():
    module_name, _, function_name = HANDLER.rpartition(".")
    if not module_name or not function_name:
        _init_error("Runtime.MalformedHandlerName", "Bad handler '%s': not enough values to unpack" % HANDLER)
    module_name = module_name.replace("/", ".")
    sys.path.insert(0, TASK_ROOT)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        _init_error("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, exc))
    except SyntaxError as exc:
        _init_error("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, exc))
    except Exception as exc:  # noqa: BLE001 - any failure of the module's own init is the init error
        _init_error(type(exc).__name__, str(exc))
    function = getattr(module, function_name, None)
    if function is None:
        _init_error("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name))
    return function


def main():
    global _request_id
    _configure_logging()
    handler = _load()
    while True:
        _, headers, body = _call("GET", "/invocation/next")
        _request_id = headers.get("lambda-runtime-aws-request-id")
        trace = headers.get("lambda-runtime-trace-id")
        if trace:
            os.environ["_X_AMZN_TRACE_ID"] = trace
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        try:
            event = json.loads(body) if body else None
            result = handler(event, LambdaContext(headers))
            payload = json.dumps(result)
        except Exception as exc:  # noqa: BLE001 - the handler's exception is the invocation's error
            error = _error(exc)
            _log_error(error)
            _call("POST", "/invocation/%s/error" % _request_id, json.dumps(error),
                  {"Lambda-Runtime-Function-Error-Type": "Unhandled"})
            continue
        _call("POST", "/invocation/%s/response" % _request_id, payload, {"Content-Type": "application/json"})


if __name__ == "__main__":
    main()
