using System.Text;
using Cloister.Functions.InvokeApi;

namespace Cloister.Functions.Tests.InvokeApi;

/// <summary>Which of Lambda's operations a method and path name (<see cref="LambdaOperation.Match"/>), and that no input breaks it.</summary>
public sealed class LambdaOperationTests
{
    [Theory]
    [InlineData("POST", "/2015-03-31/functions/my-function/invocations", "Invoke", "lambda:InvokeFunction", "my-function", true)]
    [InlineData("GET", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-central-1%3A123456789012%3Afunction%3Af%3A1", "GetFunction", "lambda:GetFunction", "arn:aws:lambda:eu-central-1:123456789012:function:f:1", true)]
    [InlineData("GET", "/2015-03-31/functions/f/configuration", "GetFunctionConfiguration", "lambda:GetFunctionConfiguration", "f", true)]
    [InlineData("GET", "/2015-03-31/functions/", "ListFunctions", "lambda:ListFunctions", null, true)]
    [InlineData("DELETE", "/2015-03-31/functions/f", "DeleteFunction", "lambda:DeleteFunction", "f", false)]
    [InlineData("POST", "/2021-11-15/functions/f/response-streaming-invocations", "InvokeWithResponseStream", "lambda:InvokeFunction", "f", true)]
    [InlineData("GET", "/2015-03-31/functions/f/aliases/live", "GetAlias", "lambda:GetAlias", "f", false)]
    [InlineData("GET", "/2017-03-31/tags/arn%3Aaws%3Alambda%3Aeu-central-1%3A123456789012%3Afunction%3Af", "ListTags", "lambda:ListTags", "arn:aws:lambda:eu-central-1:123456789012:function:f", true)]
    [InlineData("POST", "/2017-03-31/tags/arn:aws:lambda:eu-central-1:123456789012:function:f", "TagResource", "lambda:TagResource", "arn:aws:lambda:eu-central-1:123456789012:function:f", true)]
    [InlineData("DELETE", "/2017-03-31/tags/arn%3Aaws%3Alambda%3Aeu-central-1%3A123456789012%3Afunction%3Af", "UntagResource", "lambda:UntagResource", "arn:aws:lambda:eu-central-1:123456789012:function:f", true)]
    public void Match_AnOperationsMethodAndPath_ItsNameActionAndFunction(string method, string path, string name, string action, string? function, bool served)
    {
        var operation = LambdaOperation.Match(method, path);

        Assert.Equal(new LambdaOperation(name, action, function), operation);
        Assert.Equal(served, operation!.Served);
    }

    [Theory]
    [InlineData("GET", "/2015-03-31/functions/f/invocations")]
    [InlineData("POST", "/2015-03-31/functions//invocations")]
    [InlineData("GET", "/2015-03-31/nothing-here")]
    [InlineData("GET", "")]
    [InlineData("GET", "2015-03-31/functions/")]
    public void Match_NoneOfLambdasOperations_Null(string method, string path) =>
        Assert.Null(LambdaOperation.Match(method, path));

    [Fact]
    public void Match_RandomAndMutatedPaths_NeverThrows()
    {
        var random = new Random(20251124);
        string[] seeds = ["/2015-03-31/functions/f/invocations", "/2015-03-31/functions/", "/2015-03-31/functions/f/aliases/a", "/2014-11-13/functions/f/invoke-async/"];
        const string alphabet = "/%:$?-_.aZ09 \u00e9\u0000";
        string[] methods = ["GET", "POST", "PUT", "DELETE", "get", "PATCH", ""];
        var deadline = DateTime.UtcNow.AddSeconds(10);
        for (var i = 0; i < 20_000 && DateTime.UtcNow < deadline; i++)
        {
            var path = new StringBuilder(seeds[random.Next(seeds.Length)]);
            for (var edits = random.Next(1, 6); edits > 0; edits--)
            {
                var at = random.Next(path.Length + 1);
                switch (random.Next(3))
                {
                    case 0:
                        path.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    case 1 when at < path.Length:
                        path.Remove(at, 1);
                        break;
                    default:
                        path.Insert(at, "%" + random.Next(256).ToString("X", System.Globalization.CultureInfo.InvariantCulture));
                        break;
                }
            }

            var operation = LambdaOperation.Match(methods[random.Next(methods.Length)], path.ToString());

            Assert.True(operation is null || operation.Action.StartsWith("lambda:", StringComparison.Ordinal), path.ToString());
        }
    }
}
