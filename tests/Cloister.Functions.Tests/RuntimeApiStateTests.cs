using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests;

/// <summary>
/// The Runtime API's state machine, as Lambda's (<c>lambda/core/states.go</c> in aws-lambda-runtime-interface-emulator):
/// a runtime may answer an invocation once, and only after it took one. Runtimes here post to the API themselves.
/// </summary>
public sealed class RuntimeApiStateTests() : IsolatedServiceTests(state => new FunctionsOptions { State = state })
{
    // Posts to the Runtime API from inside a handler and keeps what it answered.
    private const string Poster = """
        const http = require('node:http');
        const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
        const post = (id, kind, body) => new Promise((resolve, reject) => {
          const req = http.request({ host, port, method: 'POST', path: `/2018-06-01/runtime/invocation/${id}/${kind}`,
            headers: { 'Content-Type': 'application/json' } }, (res) => {
            let text = '';
            res.on('data', (c) => { text += c; });
            res.on('end', () => resolve({ status: res.statusCode, body: text }));
          });
          req.on('error', reject);
          req.end(body);
        });
        """;

    [Fact]
    public async Task PostResponse_InvocationAlreadyAnswered_Returns403InvalidStateTransition()
    {
        await DeployNodeAsync("twice", Poster + """
            let seen = null;
            exports.handler = async (event, context) => {
              if (event.report) return seen;
              const first = await post(context.awsRequestId, 'response', '"first"');
              const response = await post(context.awsRequestId, 'response', '"second"');
              const error = await post(context.awsRequestId, 'error', '{}');
              seen = { first, response, error };
              return 'third';
            };
            """);

        var answered = await Service.InvokeAsync("twice", "{}"u8.ToArray());
        var report = await Service.InvokeAsync("twice", """{"report":true}"""u8.ToArray());

        Assert.Equal("\"first\"", Encoding.UTF8.GetString(answered.Payload.Span));
        var seen = JsonDocument.Parse(report.Payload).RootElement;
        Assert.Equal(202, seen.GetProperty("first").GetProperty("status").GetInt32());
        Assert.Equal(403, seen.GetProperty("response").GetProperty("status").GetInt32());
        Assert.Equal(
            """{"errorMessage":"State transition from RuntimeResponseSentState to InvocationResponse failed for runtime. Error: State transition is not allowed","errorType":"InvalidStateTransition"}""",
            seen.GetProperty("response").GetProperty("body").GetString());
        Assert.Equal(403, seen.GetProperty("error").GetProperty("status").GetInt32());
        Assert.Equal(
            """{"errorMessage":"State transition from RuntimeResponseSentState to InvocationErrorResponse failed for runtime. Error: State transition is not allowed","errorType":"InvalidStateTransition"}""",
            seen.GetProperty("error").GetProperty("body").GetString());
        var log = (await LogEventsAsync("twice", "Http response code: 403.")).Select(e => e.Message);
        Assert.Contains(log, m => m.EndsWith(
            "LAMBDA_RUNTIME Failed to post handler success response. Http response code: 403. " + seen.GetProperty("response").GetProperty("body").GetString(),
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostResponse_UnknownRequestId_Returns400AndMovesNothing()
    {
        // Lambda's router checks the id before the state moves: a stray id is refused and the invocation's own id still
        // answers it (the handler's own result then comes too late: 403, logged by the runtime).
        await DeployNodeAsync("stray", Poster + """
            exports.handler = async (event, context) => {
              const stray = await post('not-an-invocation', 'response', '"stray"');
              const own = await post(context.awsRequestId, 'response', '"own"');
              console.log(`stray ${stray.status} ${stray.body}`);
              console.log(`own ${own.status} ${own.body}`);
              return 'late';
            };
            """);

        var result = await Service.InvokeAsync("stray", "{}"u8.ToArray());

        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        Assert.Equal("\"own\"", Encoding.UTF8.GetString(result.Payload.Span));
        // The handler logs once its own post is answered, which ends the invocation: after its END, not before.
        var log = (await LogEventsAsync("stray", "\town 202 ")).Select(e => e.Message).ToList();
        Assert.Contains(log, m => m.EndsWith("\tstray 400 {\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}", StringComparison.Ordinal));
        Assert.Contains(log, m => m.EndsWith("\town 202 {\"status\":\"OK\"}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostResponse_BeforeTheFirstInvocation_Returns400InvalidRequestId()
    {
        // A custom runtime that answers before it ever asked for an invocation, then passes on what it was told.
        var code = Directory.CreateTempSubdirectory("cloister-early-").FullName;
        try
        {
            var bootstrap = Path.Combine(code, "bootstrap");
            await File.WriteAllTextAsync(bootstrap, """
                #!/bin/sh
                set -eu
                api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
                early="$(mktemp)"
                status="$(curl -sS -o "$early" -w '%{http_code}' -X POST "$api/invocation/none/response" -d '"early"')"
                headers="$(mktemp)"
                while true; do
                  curl -sS -o /dev/null -D "$headers" "$api/invocation/next"
                  id="$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$headers" | tr -d '\r' | cut -d' ' -f2)"
                  curl -sS -o /dev/null -X POST "$api/invocation/$id/response" -d "{\"status\":$status,\"body\":$(cat "$early")}"
                done
                """.Replace("\r", string.Empty, StringComparison.Ordinal));
            File.SetUnixFileMode(bootstrap, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var deployed = await Service.DeployAsync(new LambdaFunction(
                "early", "early", "provided.al2", "unused", code, null, 128, 3, ImmutableDictionary<string, string>.Empty, null, null));
            Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));

            var result = await Service.InvokeAsync("early", "{}"u8.ToArray());

            var told = JsonDocument.Parse(result.Payload).RootElement;
            // No invocation taken yet, so no id is the invocation's: refused before the state is looked at.
            Assert.Equal(400, told.GetProperty("status").GetInt32());
            Assert.Equal("InvalidRequestID", told.GetProperty("body").GetProperty("errorType").GetString());
            Assert.Equal("Invalid request ID", told.GetProperty("body").GetProperty("errorMessage").GetString());
        }
        finally
        {
            await Service.RemoveAsync("early");
            Directory.Delete(code, recursive: true);
        }
    }

    [Fact]
    public async Task PostResponse_UnknownResponseMode_Returns400AndFailsTheInvocation()
    {
        // Lambda takes "streaming" or no mode at all; any other (even "buffered", or "Streaming") is refused and the
        // invocation fails with Runtime.InvalidResponseModeHeader.
        await DeployNodeAsync("moded", """
            const http = require('node:http');
            const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
            let seen = null;
            exports.handler = (event, context) => event.report ? Promise.resolve(seen) : new Promise((resolve, reject) => {
              const req = http.request({ host, port, method: 'POST', path: `/2018-06-01/runtime/invocation/${context.awsRequestId}/response`,
                headers: { 'Lambda-Runtime-Function-Response-Mode': 'buffered' } }, (res) => {
                let text = '';
                res.on('data', (c) => { text += c; });
                res.on('end', () => { seen = { status: res.statusCode, body: text }; resolve('late'); });
              });
              req.on('error', reject);
              req.end('"moded"');
            });
            """);

        var failed = await Service.InvokeAsync("moded", "{}"u8.ToArray());
        var report = await Service.InvokeAsync("moded", """{"report":true}"""u8.ToArray());

        Assert.Equal("Unhandled", failed.FunctionError);
        Assert.Equal("""{"errorType":"Runtime.InvalidResponseModeHeader","errorMessage":""}""", Encoding.UTF8.GetString(failed.Payload.Span));
        Assert.True(report.Succeeded, Encoding.UTF8.GetString(report.Payload.Span));
        var told = JsonDocument.Parse(report.Payload).RootElement;
        Assert.Equal(400, told.GetProperty("status").GetInt32());
        Assert.Equal("""{"errorMessage":"Invalid function response mode","errorType":"InvalidFunctionResponseMode"}""", told.GetProperty("body").GetString());
    }

    [Fact]
    public async Task PostInitError_AfterTheInit_Returns403FromTheRuntimesState()
    {
        // Lambda's runtime manager allows /runtime/init/error from Started only; later it refuses it in the state
        // machine's words, naming the state the runtime is in: Ready while it runs an invocation.
        await DeployNodeAsync("late", """
            const http = require('node:http');
            const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
            exports.handler = () => new Promise((resolve, reject) => {
              const req = http.request({ host, port, method: 'POST', path: '/2018-06-01/runtime/init/error',
                headers: { 'Lambda-Runtime-Function-Error-Type': 'Runtime.Late' } }, (res) => {
                let text = '';
                res.on('data', (c) => { text += c; });
                res.on('end', () => resolve({ status: res.statusCode, body: text }));
              });
              req.on('error', reject);
              req.end('{"errorMessage":"too late","errorType":"Runtime.Late"}');
            });
            """);

        var result = await Service.InvokeAsync("late", "{}"u8.ToArray());

        Assert.True(result.Succeeded, Encoding.UTF8.GetString(result.Payload.Span));
        var told = JsonDocument.Parse(result.Payload).RootElement;
        Assert.Equal(403, told.GetProperty("status").GetInt32());
        Assert.Equal(
            """{"errorMessage":"State transition from Ready to InitError failed for runtime. Error: State transition is not allowed","errorType":"InvalidStateTransition"}""",
            told.GetProperty("body").GetString());
        var next = await Service.InvokeAsync("late", "{}"u8.ToArray());
        Assert.True(next.Succeeded, "the refused post changed nothing: the runtime goes on");
    }

    [Fact]
    public async Task PostError_ErrorWithCauseContentType_CallerGetsTheErrorWithoutItsCause()
    {
        // A runtime that reports its error with an X-Ray cause, as application/vnd.aws.lambda.error.cause+json: Lambda
        // passes the caller the error alone.
        await DeployNodeAsync("caused", """
            const http = require('node:http');
            const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
            exports.handler = (event, context) => new Promise((resolve, reject) => {
              const req = http.request({ host, port, method: 'POST', path: `/2018-06-01/runtime/invocation/${context.awsRequestId}/error`,
                headers: { 'Content-Type': 'application/vnd.aws.lambda.error.cause+json', 'Lambda-Runtime-Function-Error-Type': 'Runtime.Caused' } },
                (res) => { res.resume(); res.on('end', () => resolve('ignored')); });
              req.on('error', reject);
              req.end(JSON.stringify({ errorMessage: 'with a cause', errorType: 'Runtime.Caused', stackTrace: ['at handler'],
                errorCause: { working_directory: '/var/task', exceptions: [], paths: [] } }));
            });
            """);

        var result = await Service.InvokeAsync("caused", "{}"u8.ToArray());

        Assert.Equal("Unhandled", result.FunctionError);
        Assert.Equal(
            """{"errorMessage":"with a cause","errorType":"Runtime.Caused","stackTrace":["at handler"]}""",
            Encoding.UTF8.GetString(result.Payload.Span));
    }

    private async Task DeployNodeAsync(string name, string inline, int timeoutSeconds = 3)
    {
        var deployed = await Service.DeployAsync(new LambdaFunction(
            name, name, "nodejs20.x", "index.handler", null, inline, 128, timeoutSeconds, ImmutableDictionary<string, string>.Empty, null, null));
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));
    }
}
