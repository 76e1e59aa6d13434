using System.Collections.Immutable;
using System.Text;
using Cloister.Gateway.Templates;
using Cloister.Gateway.Templates.Velocity;
using Cloister.Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Cloister.Gateway.Tests.Templates;

/// <summary>Each template function and directive API Gateway's mapping templates use, rendered by the Velocity engine.</summary>
public sealed class MappingTemplateTests
{
    private const string Body = """{"name":"Ann \"A\"","age":42,"price":9.5,"tags":["a","b","c"],"address":{"city":"Köln","zip":"50667"},"items":[{"id":1,"qty":2},{"id":2,"qty":5}]}""";

    [Theory]
    [InlineData("$input.body", Body)]
    [InlineData("$input.json('$.name')", "\"Ann \\\"A\\\"\"")]
    [InlineData("$input.json('$.address')", """{"city":"Köln","zip":"50667"}""")]
    [InlineData("$input.json('$.tags')", """["a","b","c"]""")]
    [InlineData("$input.json('$.missing')", "")]
    [InlineData("$input.json('$')", Body)]
    [InlineData("$input.path('$.age')", "42")]
    [InlineData("$input.path('$.price')", "9.5")]
    [InlineData("$input.path('$.address.city')", "Köln")]
    [InlineData("$input.path('$.tags').size()", "3")]
    [InlineData("$input.path('$.tags[1]')", "b")]
    [InlineData("$input.path('$.tags[-1]')", "c")]
    [InlineData("$input.path('$.items[*].id')", "[1, 2]")]
    [InlineData("$input.path('$..qty')", "[2, 5]")]
    [InlineData("$input.path(\"$['address']['zip']\")", "50667")]
    [InlineData("$input.path('$.tags.length()')", "3")]
    [InlineData("$input.path('$.address')", "{city=Köln, zip=50667}")]
    public void Input_JsonPathAndBody_RenderAsApiGateway(string template, string expected) =>
        Assert.Equal(expected, Render(template, Body));

    [Theory]
    [InlineData("$input.params('id')", "p-7")]
    [InlineData("$input.params('q')", "two")]
    [InlineData("$input.params('x-trace')", "t-1")]
    [InlineData("$input.params('absent')", "")]
    [InlineData("$input.params().path.id", "p-7")]
    [InlineData("$input.params().querystring.get('q')", "two")]
    [InlineData("$input.params().header.get('X-Trace')", "t-1")]
    [InlineData("#foreach($type in $input.params().keySet())$type#if($foreach.hasNext),#end#end", "path,querystring,header")]
    public void Input_Params_SearchPathQueryThenHeaders(string template, string expected) =>
        Assert.Equal(expected, Render(template, string.Empty));

    [Theory]
    [InlineData("$util.escapeJavaScript($input.path('$.name'))", "Ann \\\"A\\\"")]
    [InlineData("$util.escapeJavaScript(\"it's a/b\\n\")", "it\\'s a\\/b\\\\n")]
    [InlineData("$util.escapeJavaScript('é')", "\\u00E9")]
    [InlineData("$util.urlEncode('a b&c=d/é')", "a+b%26c%3Dd%2F%C3%A9")]
    [InlineData("$util.urlDecode('a+b%26c%3Dd%2F%C3%A9')", "a b&c=d/é")]
    [InlineData("$util.base64Encode('hello wörld')", "aGVsbG8gd8O2cmxk")]
    [InlineData("$util.base64Decode('aGVsbG8gd8O2cmxk')", "hello wörld")]
    [InlineData("#set($o = $util.parseJson('{\"a\":{\"b\":[1,2]}}'))$o.a.b.get(1)", "2")]
    [InlineData("#set($o = $util.parseJson($input.body))$o.address.zip", "50667")]
    public void Util_Functions_BehaveAsJavaDoes(string template, string expected) =>
        Assert.Equal(expected, Render(template, Body));

    [Theory]
    [InlineData("$util.urlDecode('a\U0001F600b')", "a\U0001F600b")]
    [InlineData("$util.urlDecode('%F0%9F%98%80+\U0001F600 caf\u00e9')", "\U0001F600 \U0001F600 caf\u00e9")]
    [InlineData("$util.urlEncode('\U0001F600 x')", "%F0%9F%98%80+x")]
    [InlineData("$util.urlDecode($util.urlEncode('\U0001F600\U0001F680/\u00e9'))", "\U0001F600\U0001F680/\u00e9")]
    public void Util_UrlEncodeAndDecode_KeepCharactersBeyondTheBmpWhole(string template, string expected) =>
        Assert.Equal(expected, Render(template, Body));

    [Fact]
    public void UrlDecode_RandomTextAndEscapes_RoundTripsOrRefuses()
    {
        var random = new Random(11);
        string[] pieces = ["a", " ", "+", "%", "%2", "%2B", "%zz", "\u00e9", "\U0001F600", "\U0001F680", "/", "~"];
        for (var i = 0; i < 2_000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(12)).Select(_ => pieces[random.Next(pieces.Length)]));

            Assert.Equal(text, UtilVariable.UrlDecode(UtilVariable.UrlEncode(text)));
            try
            {
                Assert.NotNull(UtilVariable.UrlDecode(text));
            }
            catch (VtlException)
            {
                // A broken escape: refused, as Java's URLDecoder refuses it.
            }
        }
    }

    [Fact]
    public void UrlDecode_EscapeWithSpaceOrSign_IsRefusedAsJavaDoes()
    {
        Assert.Throws<VtlException>(() => UtilVariable.UrlDecode("% 1"));
        Assert.Throws<VtlException>(() => UtilVariable.UrlDecode("%-1"));
        Assert.Throws<VtlException>(() => UtilVariable.UrlDecode("%4"));
    }

    [Theory]
    [InlineData("$context.requestId", "req-1")]
    [InlineData("${context.stage}", "dev")]
    [InlineData("$context.identity.sourceIp", "10.0.1.5")]
    [InlineData("$context.identity.vpceId", "vpce-0aaaaaaaaaaaaaaaa")]
    [InlineData("$context.httpMethod", "POST")]
    [InlineData("$stageVariables.table", "claims")]
    [InlineData("$stageVariables.missing|", "|")]
    [InlineData("$context.authorizer.principalId|", "|")]
    public void ContextAndStageVariables_Resolve(string template, string expected) =>
        Assert.Equal(expected, Render(template, Body));

    [Theory]
    [InlineData("#set($x = 5)#if($x > 3)big#elseif($x > 1)mid#{else}small#end", "big")]
    [InlineData("#set($x = 2)#if($x > 3)big#elseif($x > 1)mid#{else}small#end", "mid")]
    [InlineData("#set($x = 0)#if($x gt 3)big#elseif($x gt 1)mid#{else}small#end", "small")]
    [InlineData("#if($input.path('$.age') == 42 && !($input.path('$.name') == ''))yes#end", "yes")]
    [InlineData("#if($nothing)yes#{else}no#end", "no")]
    [InlineData("#set($list = [1, 2, 3])#foreach($n in $list)$n#if($foreach.hasNext), #end#end", "1, 2, 3")]
    [InlineData("#foreach($n in [1..4])$velocityCount#end", "1234")]
    [InlineData("#foreach($i in $input.path('$.items'))$i.id:$i.qty;#end", "1:2;2:5;")]
    [InlineData("#foreach($n in [1..9])#if($n == 3)#break#end$n#end", "12")]
    [InlineData("#set($m = {\"a\": 1, \"b\": \"two\"})$m.b $m.get('a') $m.size() $m.keySet()", "two 1 2 [a, b]")]
    [InlineData("#set($m = {})#set($m.k = 'v')$m.put('z', 1)$m", "{k=v, z=1}")]
    [InlineData("#set($s = 'Hello, World')$s.length() $s.toUpperCase() $s.substring(7) $s.substring(0, 5) $s.replaceAll('o', '0') $s.toLowerCase()", "12 HELLO, WORLD World Hello Hell0, W0rld hello, world")]
    [InlineData("#set($s = 'a,b,,c')$s.split(',').size() $s.indexOf('b') $s.contains('c') $s.startsWith('a') $s.replace(',', ';')", "4 2 true true a;b;;c")]
    [InlineData("#set($n = 7 * 6 - 2)$n $n / 3 $n % 3", "40 40 / 3 40 % 3")]
    [InlineData("#set($n = 7 * 6 - 2)#set($d = $n / 3)#set($r = $n % 3)$d $r", "13 1")]
    [InlineData("$!quiet|$undefined|${alsoUndefined}", "|$undefined|${alsoUndefined}")]
    [InlineData("#set($greeting = \"hi $stageVariables.table\")$greeting", "hi claims")]
    [InlineData("## a comment\nline#* block *#", "line")]
    [InlineData("#[[$not.a.reference]]#", "$not.a.reference")]
    [InlineData("total: $input.path('$.age').", "total: 42.")]
    public void Directives_And_Methods_RenderAsVelocity(string template, string expected) =>
        Assert.Equal(expected, Render(template, Body));

    [Theory]
    [InlineData("#set($s = \"abc\n\")$s.matches('abc')", "false")]
    [InlineData("#set($s = 'abc')$s.matches('abc')", "true")]
    [InlineData("#set($s = 'aaab')$s.matches('a*+b')", "true")]
    [InlineData("#set($s = 'aaa')$s.matches('a*+a')", "false")]
    [InlineData("#set($s = 'ab12')$s.matches('(?:ab)++\\d{2}+')", "true")]
    [InlineData("#set($s = 'Ab9')$s.matches('\\p{Upper}\\p{Lower}\\p{Digit}')", "true")]
    [InlineData("#set($s = 'x_y')$s.replaceAll('[\\p{Alpha}]', '*')", "*_*")]
    [InlineData("#set($s = 'a.b;c')$s.replaceAll('\\p{Punct}', '')", "abc")]
    [InlineData("#set($s = 'Ü1')$s.replaceAll('\\P{Alnum}', '?')", "?1")]
    [InlineData("#set($s = 'a+b')$s.replaceAll('\\Q+b\\E', '!')", "a!")]
    [InlineData("#set($s = 'key=value')$s.replaceAll('(\\w+)=(\\w+)', '$2=$1')", "value=key")]
    [InlineData("#set($s = 'abc')$s.replaceAll('(b)', '$12')", "ab2c")]
    [InlineData("#set($s = 'abc')$s.replaceAll('b', '\\$0')", "a$0c")]
    [InlineData("#set($s = 'a b')$s.replaceAll('\\h', '_')", "a_b")]
    [InlineData("#set($s = 'AAB')$s.matches('\\u0041*+B') $s.matches('\\x41++B') $s.matches('\\x{41}{2}+B')", "true true true")]
    [InlineData("#set($s = 'a1b2c')$s.split('(\\d)').size() $s.split('(\\d)').get(1)", "3 b")]
    [InlineData("#set($s = ',')$s.split(',').size()", "0")]
    [InlineData("#set($s = '')$s.split(',').size()", "1")]
    [InlineData("#set($s = 'abc')$s.split('').size() $s.split('').get(0)", "3 a")]
    [InlineData("#set($s = ',a,,b,,')$s.split(',').size() $s.split(',').get(0).isEmpty()", "4 true")]
    public void Render_RegexMethods_FollowJavasPattern(string template, string expected) =>
        Assert.Equal(expected, Render(template, Body));

    [Theory]
    [InlineData("#set($s = 'abc')$s.replaceAll('b', '$&')")]
    [InlineData("#set($s = 'abc')$s.replaceAll('b', '$2')")]
    [InlineData("#set($s = 'abc')$s.replaceAll('b', 'x$')")]
    [InlineData("#set($s = 'abc')$s.replaceAll('[a-z&&[^b]]', 'x')")]
    [InlineData("#set($s = 'abc')$s.matches('[a[b]]+')")]
    public void Render_RegexJavaRefusesOrDotNetWouldMisread_FailsTheTemplate(string template)
    {
        var compiled = MappingTemplate.Compile(template);

        Assert.Throws<VtlException>(() => compiled.Render(Input(Body, new ContextOverrides())));
    }

    [Fact]
    public void Render_DirectiveAloneOnItsLine_TakesItsLine()
    {
        var template = "{\n  #set($n = $input.path('$.name'))\n  \"who\": \"$util.escapeJavaScript($n)\",\n  \"tags\": [\n    #foreach($t in $input.path('$.tags'))\n    \"$t\"#if($foreach.hasNext),#end\n    #end\n  ]\n}";

        var rendered = Render(template, Body);

        Assert.Equal("{\n  \"who\": \"Ann \\\"A\\\"\",\n  \"tags\": [\n    \"a\",\n    \"b\",\n    \"c\"\n  ]\n}", rendered);
        using var parsed = System.Text.Json.JsonDocument.Parse(rendered);
        Assert.Equal(3, parsed.RootElement.GetProperty("tags").GetArrayLength());
    }

    [Fact]
    public void Render_ResponseOverride_SetsStatusAndHeader()
    {
        var overrides = new ContextOverrides();

        Render("#set($context.responseOverride.status = 418)#set($context.responseOverride.header.X-Teapot = 'yes')$context.responseOverride.status", Body, overrides);

        Assert.Equal(418, overrides.ResponseStatus);
        Assert.Equal("yes", overrides.ResponseHeaders["X-Teapot"]);
    }

    [Fact]
    public void Render_BodyNotJson_FailsAsBadRequestBody()
    {
        var template = MappingTemplate.Compile("$input.json('$.a')");

        var failure = Assert.Throws<VtlException>(() => template.Render(Input("not json", new ContextOverrides())));

        Assert.True(failure.IsBadRequestBody);
    }

    [Fact]
    public void Render_EmptyBody_IsAnEmptyObject() => Assert.Equal("{}", Render("$input.json('$')", string.Empty));

    [Theory]
    [InlineData("#if($a)")]
    [InlineData("#foreach($a in $b)")]
    [InlineData("#end")]
    [InlineData("#set($a = )")]
    [InlineData("#set('a' = 1)")]
    [InlineData("$a.b(")]
    [InlineData("#* never closed")]
    public void Compile_Malformed_KeepsTheErrorAndRenderFails(string source)
    {
        var template = MappingTemplate.Compile(source);

        Assert.NotNull(template.Error);
        Assert.Throws<VtlException>(() => template.Render(Input(string.Empty, new ContextOverrides())));
    }

    [Fact]
    public void Render_ForeachOverLargeList_StopsAtAThousand() =>
        Assert.Equal(1000, Render("#set($l = [])#foreach($i in [1..1000])#set($ok = $l.add($i))#end#foreach($i in $l)x#end", string.Empty).Length);

    /// <summary>
    /// Nested loops multiply: two of a thousand iterations each are a million steps, which the renderer's work budget
    /// refuses, whatever the machine's speed (a clock bound on rendering failed under load).
    /// </summary>
    [Fact]
    public void Render_NestedLoopsPastTheWorkBudget_RefusedAsTooMuchWork()
    {
        var template = MappingTemplate.Compile("#foreach($i in [1..1000])#foreach($j in [1..1000])x#end#end");
        Assert.Null(template.Error);

        var refused = Assert.Throws<VtlException>(() => template.Render(Input(string.Empty, new ContextOverrides())));

        Assert.Equal("The template does too much work.", refused.Message);
    }

    [Fact]
    public void Compile_StaticTemplate_RendersItsTextOnce()
    {
        var template = MappingTemplate.Compile("{\"statusCode\": 200}");

        Assert.Equal("{\"statusCode\": 200}", template.StaticText);
        Assert.Equal("{\"statusCode\": 200}", template.Render(Input(string.Empty, new ContextOverrides())));
    }

    [Fact]
    public void Compile_RandomAndMutatedInput_NeverCrashesAndRefusesDeepNesting()
    {
        var random = new Random(9);
        string[] seeds =
        [
            "#set($a = {\"k\": [1, 2, 'x']})#foreach($i in $a.k)#if($i == 1)$i#elseif($i)$!i#else-#end#end",
            "$input.json('$.a[0].b')$util.escapeJavaScript($input.path('$..c'))${context.identity.sourceIp}",
            "#[[raw]]## c\n#* b *#$x.y(1, 'a', \"s $z\", [1..3], {\"m\": true}) #break #stop",
        ];
        const string Alphabet = "#$!{}()[].,'\"=<>&|+-*/%01abinsetfdorqu \n\\";
        for (var round = 0; round < 3000; round++)
        {
            var text = new StringBuilder(seeds[round % seeds.Length]);
            for (var m = random.Next(1, 6); m > 0; m--)
            {
                var at = random.Next(text.Length + 1);
                if (random.Next(2) == 0 && text.Length > 0)
                {
                    text.Remove(Math.Min(at, text.Length - 1), 1);
                }
                else
                {
                    text.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                }
            }

            var template = MappingTemplate.Compile(text.ToString());
            try
            {
                template.Render(Input("""{"a":[{"b":1}],"c":2}""", new ContextOverrides()));
            }
            catch (VtlException)
            {
                // Refusing is fine; crashing with anything else is not.
            }
        }

        Assert.NotNull(MappingTemplate.Compile(new string('(', 10_000) + "#if(").Error);
        Assert.NotNull(MappingTemplate.Compile("#if(" + string.Concat(Enumerable.Repeat("!(", 5_000))).Error);

        // Long chains and operator runs would make rendering recurse as deep; they are refused when parsed.
        Assert.NotNull(MappingTemplate.Compile("$a" + string.Concat(Enumerable.Repeat(".b", 100_000))).Error);
        Assert.NotNull(MappingTemplate.Compile("#set($x = 1" + string.Concat(Enumerable.Repeat(" + 1", 50_000)) + ")").Error);
        Assert.NotNull(MappingTemplate.Compile("#if(true" + string.Concat(Enumerable.Repeat(" && true", 50_000)) + ")#end").Error);
        var selfContaining = MappingTemplate.Compile("#set($l = [1])#set($ok = $l.add($l))#if($l == $l)same#end");
        Assert.Throws<VtlException>(() => selfContaining.Render(Input(string.Empty, new ContextOverrides())));
    }

    private static string Render(string template, string body, ContextOverrides? overrides = null)
    {
        var compiled = MappingTemplate.Compile(template);
        Assert.Null(compiled.Error);
        return compiled.Render(Input(body, overrides ?? new ContextOverrides()));
    }

    private static MappingInput Input(string body, ContextOverrides overrides)
    {
        var state = States.AtStage("POST", ImmutableDictionary<string, string>.Empty.Add("table", "claims"), requestId: "req-1");
        var headers = new HeaderDictionary { ["X-Trace"] = "t-1" };
        var query = new QueryCollection(new Dictionary<string, StringValues> { ["q"] = new(["one", "two"]) });
        var parameters = new MethodRequestParameters(new Dictionary<string, string> { ["id"] = "p-7" }, query, headers);
        return new MappingInput(state, parameters, Encoding.UTF8.GetBytes(body), overrides);
    }
}
