"""Cloister's Python runtime: loads LAMBDA_TASK_ROOT/<module>.<function> and serves it over the Lambda Runtime API
(2018-06-01), as Lambda's python runtime does. Written for Cloister; no AWS code."""
import decimal
import http.client
import importlib
import json
import logging
import math
import os
import re
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
_BOOTSTRAP = os.path.abspath(__file__)


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


class _Fault(Exception):
    """A failure of the runtime rather than of the handler: reported with Lambda's error type and no stack trace."""

    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type
        self.message = message


def _from_dict(cls, values):
    """An instance of cls with each of its slots set from values (None when absent), as Lambda's runtime builds them."""
    if values is None:
        return None
    obj = cls()
    for field in cls.__slots__:
        setattr(obj, field, values.get(field) if isinstance(values, dict) else None)
    return obj


class CognitoIdentity:
    """context.identity: always there, its fields None unless the caller passed a Cognito identity."""

    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]

    def __repr__(self):
        return "CognitoIdentity([cognito_identity_id=%s,cognito_identity_pool_id=%s])" % (
            self.cognito_identity_id, self.cognito_identity_pool_id)


class Client:
    """context.client_context.client: the mobile app that called."""

    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]

    def __repr__(self):
        return "Client([%s])" % ",".join("%s=%s" % (f, getattr(self, f)) for f in self.__slots__)


class ClientContext:
    """context.client_context: None unless the caller passed a client context."""

    __slots__ = ["custom", "env", "client"]

    def __repr__(self):
        return "ClientContext([custom=%s,env=%s,client=%s])" % (self.custom, self.env, self.client)


def _header_json(headers, name, what):
    """A JSON header the Runtime API sends as UTF-8 (http.client reads header bytes as Latin-1), parsed."""
    value = headers.get(name)
    if not value:
        return None
    try:
        value = value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        pass
    try:
        return json.loads(value)
    except ValueError as exc:
        raise _Fault("Runtime.LambdaContextUnmarshalError", "Unable to parse %s JSON: %s" % (what, exc))


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
        client_context = _header_json(headers, "lambda-runtime-client-context", "Client Context")
        identity = _header_json(headers, "lambda-runtime-cognito-identity", "Cognito Identity")
        self.client_context = _from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _from_dict(Client, self.client_context.client)
        self.identity = _from_dict(CognitoIdentity, {})
        if isinstance(identity, dict):
            self.identity.cognito_identity_id = identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = identity.get("cognitoIdentityPoolId")

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


class _Marshaller(json.JSONEncoder):
    """
    Lambda's response marshaller: a Decimal (boto3's DynamoDB number) is written as the number it prints, a NaN one as
    NaN. json cannot write raw text, so a Decimal goes in as a marked string and the marks come off afterwards. From
    python3.12 on, non-ASCII characters are written as they are rather than escaped, as Lambda's runtime does.
    """

    _KEY = os.urandom(8).hex()
    _MARK = "\x00decimal-%s:" % _KEY
    _MARKED = re.compile(r'"\\u0000decimal-%s:([^"]*)"' % _KEY)

    def __init__(self):
        version = os.environ.get("AWS_EXECUTION_ENV", "").partition("python3.")[2]
        super().__init__(ensure_ascii=not (version.isdigit() and int(version) >= 12))
        self._marked = False

    def default(self, o):
        if isinstance(o, decimal.Decimal):
            if o.is_nan():
                return math.nan
            self._marked = True
            return self._MARK + str(o)
        return super().default(o)

    def marshal(self, result):
        """The response body and its type: bytes as they are, anything else as JSON; Runtime.MarshalError when it cannot be."""
        if isinstance(result, bytes):
            return result, "application/unknown"
        self._marked = False
        try:
            text = self.encode(result)
        except Exception as exc:  # noqa: BLE001 - whatever json refuses is the marshal error
            raise _Fault("Runtime.MarshalError", "Unable to marshal response: %s" % exc)
        if self._marked:
            text = self._MARKED.sub(lambda m: m.group(1), text)
        return text.encode("utf-8"), "application/json"


_marshaller = _Marshaller()


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
    if isinstance(exc, _Fault):
        return {"errorMessage": exc.message, "errorType": exc.error_type, "requestId": _request_id or "", "stackTrace": []}
    # The stack starts at the handler: the bootstrap's own frames that called it are left out.
    frames = traceback.extract_tb(exc.__traceback__)
    while frames and os.path.abspath(frames[0].filename) == _BOOTSTRAP:
        frames = frames[1:]
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
            context = LambdaContext(headers)
            try:
                event = json.loads(body) if body else None
            except ValueError as exc:
                raise _Fault("Runtime.UnmarshalError", "Unable to unmarshal input: %s" % exc)
            payload, content_type = _marshaller.marshal(handler(event, context))
        except Exception as exc:  # noqa: BLE001 - the handler's exception is the invocation's error
            error = _error(exc)
            _log_error(error)
            _call("POST", "/invocation/%s/error" % _request_id, json.dumps(error).encode("utf-8"),
                  {"Lambda-Runtime-Function-Error-Type": "Unhandled"})
            continue
        status, _, _ = _call("POST", "/invocation/%s/response" % _request_id, payload, {"Content-Type": content_type})
        if status != 202:
            # As Lambda's runtime client raises it, and its loop does not catch it: a response the Runtime API refuses
            # (413 over 6 MB) ends the runtime, and the environment is reset.
            raise RuntimeError("Failed to post invocation response")


if __name__ == "__main__":
    main()
