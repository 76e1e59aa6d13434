namespace Cloister.Gateway.Tests.Infrastructure;

/// <summary>Assertions on gateway responses.</summary>
public static class Expect
{
    /// <summary>Status, body word for word, <c>x-amzn-ErrorType</c>, and the request id headers every response carries.</summary>
    public static async Task ErrorAsync(HttpResponseMessage response, int status, string body, string? errorType)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        if (errorType is null)
        {
            Assert.False(response.Headers.Contains("x-amzn-ErrorType"));
        }
        else
        {
            Assert.Equal(errorType, Assert.Single(response.Headers.GetValues("x-amzn-ErrorType")));
        }

        RequestIds(response);
    }

    public static void RequestIds(HttpResponseMessage response)
    {
        var requestId = Assert.Single(response.Headers.GetValues("x-amzn-RequestId"));
        Assert.True(Guid.TryParse(requestId, out _), requestId);
        Assert.Equal(16, Assert.Single(response.Headers.GetValues("x-amz-apigw-id")).Length);
    }

    public const string Forbidden = """{"message":"Forbidden"}""";
    public const string MissingAuthenticationToken = """{"message":"Missing Authentication Token"}""";
    public const string InternalServerError = """{"message": "Internal server error"}""";
    public const string TimedOut = """{"message": "Endpoint request timed out"}""";

    public static string AccessDenied(string method, string path, bool explicitDeny) =>
        $$"""{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********9012:{{Apis.ApiId}}/dev/{{method}}/{{path}}{{(explicitDeny ? " with an explicit deny" : "")}}"}""";
}
