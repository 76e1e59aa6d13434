using System.Text;
using System.Text.Json;

namespace Cloister.Gateway.Templates.Velocity;

/// <summary>
/// <c>$input</c>: the payload (the method request's in a request template, the integration's in a response
/// template) and the method request's parameters. The payload is read as JSON at most once, when first asked.
/// An empty payload is <c>{}</c>; a payload that is not JSON fails the template as a bad request body.
/// </summary>
internal sealed class InputVariable(ReadOnlyMemory<byte> payload, MethodRequestParameters parameters) : IVtlObject
{
    private string? _body;
    private object? _json;
    private bool _parsed;

    public string Body => _body ??= Encoding.UTF8.GetString(payload.Span);

    public bool TryGetProperty(string name, out object? value)
    {
        value = name == "body" ? Body : null;
        return name == "body";
    }

    public bool TryInvoke(string name, ReadOnlySpan<object?> arguments, out object? value)
    {
        value = null;
        switch (name, arguments.Length)
        {
            case ("json", 1):
                value = arguments[0] is string jsonPath ? JsonPathText(jsonPath) : null;
                return true;
            case ("path", 1):
                value = arguments[0] is string path ? JsonPath.Parse(path).Evaluate(Json()) : null;
                return true;
            case ("params", 0):
                value = parameters.All();
                return true;
            case ("params", 1):
                value = arguments[0] is null ? null : parameters.Find(VtlValues.ToText(arguments[0]));
                return true;
            case ("getBody", 0):
                value = Body;
                return true;
            default:
                return false;
        }
    }

    /// <summary><c>$input.json(path)</c>: the match written as JSON (a JSON null as <c>null</c>); nothing when the path matches nothing.</summary>
    private string JsonPathText(string path)
    {
        var match = JsonPath.Parse(path).Evaluate(Json(), out var found);
        return found || match is not null ? VtlValues.ToJson(match) : string.Empty;
    }

    private object? Json()
    {
        if (_parsed)
        {
            return _json;
        }

        if (payload.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            _json = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        }
        else
        {
            try
            {
                _json = VtlValues.FromJson(payload.Span);
            }
            catch (JsonException exception)
            {
                throw new VtlException("Could not parse request body into json.", exception) { IsBadRequestBody = true };
            }
        }

        _parsed = true;
        return _json;
    }
}
