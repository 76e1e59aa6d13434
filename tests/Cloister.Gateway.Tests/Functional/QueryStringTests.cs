using System.Text.Json;
using Cloister.Gateway.Tests.Infrastructure;
using static Cloister.Gateway.Tests.Infrastructure.Apis;

namespace Cloister.Gateway.Tests.Functional;

/// <summary>
/// How the query string reaches the proxy event's <c>queryStringParameters</c> and
/// <c>multiValueQueryStringParameters</c>: names are case-sensitive (the request validation page: query string
/// names are matched as written), a name without <c>=</c> or with an empty value is an empty string, <c>+</c> is a
/// space and <c>%2B</c> a plus, as a form-encoded query reads.
/// </summary>
public sealed class QueryStringTests
{
    private static async Task<JsonElement> EventForAsync(string query)
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf(Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("GET", LambdaProxy("echo"))))));
        harness.Lambda.AddEcho("echo");
        var response = await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim?{query}");
        Assert.Equal(200, (int)response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static string Single(JsonElement evt) => evt.GetProperty("queryStringParameters").GetRawText();

    private static string Multi(JsonElement evt) => evt.GetProperty("multiValueQueryStringParameters").GetRawText();

    [Fact]
    public async Task Event_NamesDifferingOnlyInCase_AreSeparateParameters()
    {
        var evt = await EventForAsync("tag=a&Tag=b&TAG=c&tag=d");

        Assert.Equal("""{"tag":"d","Tag":"b","TAG":"c"}""", Single(evt));
        Assert.Equal("""{"tag":["a","d"],"Tag":["b"],"TAG":["c"]}""", Multi(evt));
    }

    [Fact]
    public async Task Event_NameWithoutValueOrEquals_IsEmptyString()
    {
        var evt = await EventForAsync("flag&empty=&x=1");

        Assert.Equal("""{"flag":"","empty":"","x":"1"}""", Single(evt));
        Assert.Equal("""{"flag":[""],"empty":[""],"x":["1"]}""", Multi(evt));
    }

    [Fact]
    public async Task Event_PlusAndEscapes_DecodedAsFormEncoding()
    {
        var evt = await EventForAsync("q=a+b&p=a%2Bb&s=a%20b&k%20ey=v");

        Assert.Equal("""{"q":"a b","p":"a+b","s":"a b","k ey":"v"}""", Single(evt));
    }

    [Fact]
    public async Task Event_MappingSourceInOtherCase_DoesNotMatch()
    {
        await using var harness = await GatewayHarness.StartAsync(ModelOf(Api(AllowFrom(VpceA), Resource("res0000001", "/claim", Method("GET", Mock(
            """{"statusCode": 200}""",
            Response("200", null, """{"lower":"$input.params('tag')","upper":"$input.params('Tag')"}""")))))));

        var body = await (await harness.Client(GatewayHarness.EniA).GetAsync($"https://{PrivateHost()}/dev/claim?tag=a")).Content.ReadAsStringAsync();

        Assert.Equal("""{"lower":"a","upper":""}""", body);
    }

    [Fact]
    public void Parse_OneNameRepeatedAcrossTheLongestUrl_KeepsEveryValueInOrder()
    {
        var query = "?" + string.Join('&', Enumerable.Range(0, 2000).Select(i => $"k={i}"));

        var parsed = Cloister.Gateway.Pipeline.QueryParameters.Parse(query);

        Assert.Equal(Enumerable.Range(0, 2000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), parsed["k"].ToArray());
    }
}
