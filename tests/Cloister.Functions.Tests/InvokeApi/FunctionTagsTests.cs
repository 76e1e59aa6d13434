using System.Collections.Immutable;
using System.Text;
using Cloister.Functions.InvokeApi;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests.InvokeApi;

/// <summary>
/// <see cref="FunctionTags"/>'s readers of what a caller sends (the resource ARN, TagResource's body, UntagResource's
/// keys) given random and mutated input: an answer every time, in Lambda's statuses, and a tag set Lambda could hold.
/// </summary>
public sealed class FunctionTagsTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task TagUntagList_RandomAndMutatedInput_LambdasAnswersAndAValidTagSet()
    {
        var name = "fuzz-tags-" + Guid.NewGuid().ToString("N")[..12];
        var function = new LambdaFunction(name, name, "python3.12", "app.handler", Path.Combine(ServiceFixture.FunctionsDirectory, "python"), null, 128, 3, ImmutableDictionary<string, string>.Empty, null, null)
        {
            Tags = ImmutableDictionary<string, string>.Empty.Add("aws:cloudformation:logical-id", name).Add("team", "claims"),
        };
        Assert.True((await fixture.Service.DeployAsync(function)).Succeeded);
        var tags = new FunctionTags(fixture.Service);
        var arn = $"arn:aws:lambda:{fixture.Service.Account.Region}:{fixture.Service.Account.AccountId}:function:{name}";
        string[] bodies = ["""{"Tags":{"a":"b"}}""", """{"Tags":{}}""", """{"Tags":{"k":"v","aws:x":"y"}}""", """{"Tags":null}""", "{}", "[]"];
        string[] resources = [arn, arn + ":1", "arn:aws:lambda:eu-central-1:123456789012:event-source-mapping:0", name];
        const string alphabet = "{}[]\":,\\ azAZ09:\u00e9\u0000";
        var random = new Random(20261124);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        for (var i = 0; i < 5_000 && DateTime.UtcNow < deadline; i++)
        {
            var resource = random.Next(4) == 0 ? Mutate(resources[random.Next(resources.Length)], alphabet, random) : resources[random.Next(resources.Length)];
            var answer = random.Next(3) switch
            {
                0 => tags.Tag(resource, Encoding.UTF8.GetBytes(Mutate(bodies[random.Next(bodies.Length)], alphabet, random))),
                1 => tags.Untag(resource, random.Next(5) == 0 ? null : [.. Enumerable.Range(0, random.Next(3)).Select(_ => Mutate("a", alphabet, random))]),
                _ => tags.List(resource),
            };

            Assert.Contains(answer.StatusCode, (int[])[200, 204, 400, 404]);
            Assert.True(answer.StatusCode >= 300 == answer.ServiceErrorType is not null, resource);
        }

        var final = fixture.Service.Deployed(name)!.Tags;
        Assert.Equal(name, final["aws:cloudformation:logical-id"]);
        Assert.Equal(["aws:cloudformation:logical-id"], final.Keys.Where(LambdaFunction.IsReservedTagKey));
        Assert.True(LambdaFunction.UserTagCount(final.Keys) <= LambdaFunction.MaxUserTags);
        Assert.All(final, tag => Assert.InRange(tag.Key.Length, 1, LambdaFunction.MaxTagKeyLength));
    }

    private static string Mutate(string seed, string alphabet, Random random)
    {
        var text = new StringBuilder(seed);
        for (var edits = random.Next(0, 4); edits > 0; edits--)
        {
            var at = random.Next(text.Length + 1);
            if (random.Next(2) == 0 || at == text.Length)
            {
                text.Insert(at, alphabet[random.Next(alphabet.Length)]);
            }
            else
            {
                text.Remove(at, 1);
            }
        }

        return text.ToString();
    }
}
