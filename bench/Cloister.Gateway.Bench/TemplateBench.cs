using System.Collections.Immutable;
using System.Net;
using Cloister.Model;
using Cloister.Model.Api;

namespace Cloister.Gateway.Bench;

/// <summary>
/// What a mapping template costs a request (issue 9): MOCK with the usual static templates (the baseline) against
/// MOCK whose request template branches on a parameter and whose response template loops over the query,
/// escapes, and reads <c>$context</c> and <c>$stageVariables</c>, in the same run, interleaved.
/// </summary>
internal static class TemplateBench
{
    private const string RequestTemplate = """
        #set($n = $input.params('n'))
        #if($n.length() > 0 && $util.urlDecode($n) != 'x')
        {"statusCode": 200}
        #else
        {"statusCode": 400}
        #end
        """;

    private const string ResponseTemplate = """
        #set($q = $input.params().querystring)
        {
          "request": "$context.requestId",
          "source": "$context.identity.sourceIp",
          "table": "$stageVariables.table",
          "params": {#foreach($k in $q.keySet())"$k": "$util.escapeJavaScript($q.get($k))"#if($foreach.hasNext), #end#end},
          "upper": "$input.params('n').toUpperCase()"
        }
        """;

    public static async Task<int> RunAsync(int samples, int rounds)
    {
        var work = Directory.CreateTempSubdirectory("cloister-template-bench-");
        var certificate = BenchApis.Certificate();
        var address = IPAddress.Parse("127.0.0.23");
        await using var gateway = await GatewayServer.StartAsync(
            new GatewayOptions
            {
                Certificate = certificate,
                Listeners = [new GatewayListener(BenchApis.Vpce, BenchApis.Vpc, new IPEndPoint(address, 0))],
                Lambda = new FixedFunction(),
                State = new StatePaths(work.FullName),
            },
            Model());
        var port = gateway.PortOf(address);
        Console.WriteLine($"# Mapping template cost, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Trim()}");
        var plain = new List<double>();
        var mapped = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            plain.Add((await Latency.MeasureAsync($"https://{address}:{port}/dev/health", samples, certificate.Thumbprint)).P50);
            mapped.Add((await Latency.MeasureAsync($"https://{address}:{port}/dev/mapped?n=abc&x=1&y=two%27s", samples, certificate.Thumbprint)).P50);
        }

        var plainP50 = plain.Order().ElementAt(rounds / 2);
        var mappedP50 = mapped.Order().ElementAt(rounds / 2);
        Console.WriteLine($"latency p50  : MOCK static {plainP50 * 1000:F1} us, MOCK with request+response templates {mappedP50 * 1000:F1} us, added {(mappedP50 - plainP50) * 1000:F1} us ({(mappedP50 / plainP50) - 1:P1}); {rounds} rounds of {samples}, medians");
        work.Delete(recursive: true);
        return 0;
    }

    private static GatewayModel Model()
    {
        var model = BenchApis.Model();
        var empty = ImmutableDictionary<string, string>.Empty;
        var mapped = new Integration(IntegrationType.Mock, null, null, "INTERNET", null, 29_000, empty, empty.Add("application/json", RequestTemplate), "WHEN_NO_MATCH",
            [new IntegrationResponse("200", null, empty, empty.Add("application/json", ResponseTemplate)), new IntegrationResponse("400", "400", empty, empty)]);
        var api = model.Apis[0];
        api = api with
        {
            Resources = api.Resources.Add(new ApiResource("mapped0000", "root000000", "mapped", "/mapped", [new ApiMethod("GET", "NONE", null, false, ImmutableDictionary<string, bool>.Empty, mapped)])),
        };
        return model with
        {
            Apis = [api],
            Deployments = [model.Deployments[0] with { Snapshot = api }],
            Stages = [model.Stages[0] with { Variables = empty.Add("table", "claims") }],
        };
    }
}
