using System.Net;
using System.Text;
using System.Text.Json;
using Cloister.Functions.Ssm;
using Cloister.Functions.Tests.Support;
using Cloister.Gateway.Tests.Signing;
using Cloister.Policy;

namespace Cloister.Functions.Tests.Ssm;

/// <summary>
/// The sandbox's Parameter Store over HTTPS on a real loopback socket, keeping its parameters in a real file: the AWS
/// CLI v2 calls it as it calls AWS (<c>aws ssm put-parameter</c>, <c>get-parameter</c>...), and raw signed JSON 1.1
/// requests check errors, paging, durability across a restart and authorization.
/// </summary>
public sealed class SsmServerTests : IAsyncLifetime
{
    private const string Account = TestCallers.Account;
    private const string Region = TestCallers.Region;
    private const string AdminKey = "ASIAADMIN00000000001";
    private const string ReaderKey = "ASIAREADER0000000001";
    private const string ExpiredKey = "ASIAEXPIRED000000001";
    private const string TaggerKey = "ASIATAGGER0000000001";

    private readonly TestHome _home = new("cloister-ssm-");
    private SsmServer? _server;

    private Uri Url => _server!.Urls[0];

    private string DataDirectory => Path.Combine(_home.Folder, "ssm");

    public async Task InitializeAsync()
    {
        _server = await StartAsync([new ParameterSeed("/claims/table", "String", "claims-v1", "The claims table")]);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _home.Dispose();
    }

    [Fact]
    public async Task PutParameter_AwsCliThenGetParameter_TheValueAtVersionOne()
    {
        var put = await AwsAsync(AdminKey, "put-parameter", "--name", "/claims/queue", "--value", "q-1", "--type", "String");
        var get = await AwsAsync(AdminKey, "get-parameter", "--name", "/claims/queue");

        Assert.True(put.ExitCode == 0, put.Error);
        Assert.Contains("\"Version\": 1", put.Output, StringComparison.Ordinal);
        Assert.True(get.ExitCode == 0, get.Error);
        using var answer = JsonDocument.Parse(get.Output);
        var parameter = answer.RootElement.GetProperty("Parameter");
        Assert.Equal("q-1", parameter.GetProperty("Value").GetString());
        Assert.Equal("String", parameter.GetProperty("Type").GetString());
        Assert.Equal(1, parameter.GetProperty("Version").GetInt64());
        Assert.Equal("text", parameter.GetProperty("DataType").GetString());
        Assert.Equal($"arn:aws:ssm:{Region}:{Account}:parameter/claims/queue", parameter.GetProperty("ARN").GetString());
    }

    [Fact]
    public async Task PutParameter_ExistingWithoutOverwrite_ParameterAlreadyExistsAndTheValueKept()
    {
        var put = await AwsAsync(AdminKey, "put-parameter", "--name", "/claims/table", "--value", "other", "--type", "String");
        using var get = await CallAsync("GetParameter", """{"Name":"/claims/table"}""");

        Assert.Equal(254, put.ExitCode);
        Assert.Contains("An error occurred (ParameterAlreadyExists) when calling the PutParameter operation: The parameter already exists. To overwrite this value, set the overwrite option in the request to true.", put.Error, StringComparison.Ordinal);
        Assert.Equal("claims-v1", get.RootElement.GetProperty("Parameter").GetProperty("Value").GetString());
    }

    [Fact]
    public async Task PutParameter_Overwrite_VersionTwoAndTheHistoryHasBothWithTheKeptDescription()
    {
        using var put = await CallAsync("PutParameter", """{"Name":"/claims/table","Value":"claims-v2","Overwrite":true}""");
        using var history = await CallAsync("GetParameterHistory", """{"Name":"/claims/table"}""");
        using var old = await CallAsync("GetParameter", """{"Name":"/claims/table:1"}""");

        Assert.Equal(2, put.RootElement.GetProperty("Version").GetInt64());
        Assert.Equal("Standard", put.RootElement.GetProperty("Tier").GetString());
        var versions = history.RootElement.GetProperty("Parameters").EnumerateArray().ToList();
        Assert.Equal(["claims-v1", "claims-v2"], versions.Select(v => v.GetProperty("Value").GetString()));
        Assert.Equal("The claims table", versions[1].GetProperty("Description").GetString());
        Assert.Equal("claims-v1", old.RootElement.GetProperty("Parameter").GetProperty("Value").GetString());
        Assert.Equal(":1", old.RootElement.GetProperty("Parameter").GetProperty("Selector").GetString());
    }

    [Fact]
    public async Task PutParameter_NameWithSpacesAtItsEnds_TheNameWithoutThemAndASpaceInsideRefused()
    {
        using var put = await CallAsync("PutParameter", """{"Name":"  /claims/spaced ","Value":"s","Type":"String"}""");
        using var get = await CallAsync("GetParameter", """{"Name":"/claims/spaced"}""");
        var inside = await ErrorAsync("PutParameter", """{"Name":"/claims/with space","Value":"s","Type":"String"}""");

        Assert.Equal("/claims/spaced", get.RootElement.GetProperty("Parameter").GetProperty("Name").GetString());
        Assert.Equal("ValidationException", inside.Type);
    }

    [Fact]
    public async Task GetParameter_ExpiredSession_ExpiredTokenException()
    {
        var aws = await AwsAsync(ExpiredKey, "get-parameter", "--name", "/nothing/here");

        Assert.Equal(254, aws.ExitCode);
        Assert.Contains("An error occurred (ExpiredTokenException) when calling the GetParameter operation: The security token included in the request is expired", aws.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetParameter_Missing_ParameterNotFoundWithoutMessage()
    {
        var aws = await AwsAsync(AdminKey, "get-parameter", "--name", "/nothing/here");
        var (status, type, message) = await ErrorAsync("GetParameter", """{"Name":"/nothing/here"}""");

        Assert.Equal(254, aws.ExitCode);
        Assert.Contains("An error occurred (ParameterNotFound) when calling the GetParameter operation: ", aws.Error, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "ParameterNotFound", null), (status, type, message));
    }

    [Fact]
    public async Task GetParameter_VersionNeverWritten_ParameterVersionNotFound()
    {
        var error = await ErrorAsync("GetParameter", """{"Name":"/claims/table:7"}""");

        Assert.Equal((HttpStatusCode.BadRequest, "ParameterVersionNotFound", "Systems Manager could not find version 7 of /claims/table. Verify the version and try again."), error);
    }

    [Fact]
    public async Task GetParameter_SecureString_ValueOnlyWithDecryptionElseAnOpaqueCiphertext()
    {
        await CallAsync("PutParameter", """{"Name":"/claims/db-password","Value":"s3cret!","Type":"SecureString"}""");

        using var plain = await CallAsync("GetParameter", """{"Name":"/claims/db-password","WithDecryption":true}""");
        using var hidden = await CallAsync("GetParameter", """{"Name":"/claims/db-password"}""");
        using var again = await CallAsync("GetParameter", """{"Name":"/claims/db-password","WithDecryption":false}""");

        Assert.Equal("s3cret!", plain.RootElement.GetProperty("Parameter").GetProperty("Value").GetString());
        var ciphertext = hidden.RootElement.GetProperty("Parameter").GetProperty("Value").GetString()!;
        Assert.DoesNotContain("s3cret", Encoding.UTF8.GetString(Convert.FromBase64String(ciphertext)), StringComparison.Ordinal);
        Assert.True(ciphertext.Length > 40, ciphertext);
        Assert.Equal(ciphertext, again.RootElement.GetProperty("Parameter").GetProperty("Value").GetString());
    }

    [Fact]
    public async Task GetParameter_ByItsArnWithAVersion_ThatParameterUnderItsName()
    {
        using var answer = await CallAsync("GetParameter", $$"""{"Name":"arn:aws:ssm:{{Region}}:{{Account}}:parameter/claims/table:1"}""");

        var parameter = answer.RootElement.GetProperty("Parameter");
        Assert.Equal(("/claims/table", "claims-v1", ":1"), (parameter.GetProperty("Name").GetString(), parameter.GetProperty("Value").GetString(), parameter.GetProperty("Selector").GetString()));
    }

    [Fact]
    public async Task GetParameters_SomeMissing_TheFoundAndTheInvalidNames()
    {
        using var answer = await CallAsync("GetParameters", """{"Names":["/claims/table","/claims/none","/claims/table:9"]}""");

        Assert.Equal(["/claims/table"], answer.RootElement.GetProperty("Parameters").EnumerateArray().Select(p => p.GetProperty("Name").GetString()));
        Assert.Equal(["/claims/none", "/claims/table:9"], answer.RootElement.GetProperty("InvalidParameters").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task LabelParameterVersion_AwsCliThenGetParameterByLabel_TheLabelledVersionWithItsSelector()
    {
        using var put = await CallAsync("PutParameter", """{"Name":"/claims/table","Value":"claims-v2","Overwrite":true}""");
        var label = await AwsAsync(AdminKey, "label-parameter-version", "--name", "/claims/table", "--parameter-version", "1", "--labels", "prod");
        var get = await AwsAsync(AdminKey, "get-parameter", "--name", "/claims/table:prod");

        Assert.True(label.ExitCode == 0, label.Error);
        using var labelled = JsonDocument.Parse(label.Output);
        Assert.Equal(1, labelled.RootElement.GetProperty("ParameterVersion").GetInt64());
        Assert.Empty(labelled.RootElement.GetProperty("InvalidLabels").EnumerateArray());
        Assert.True(get.ExitCode == 0, get.Error);
        using var answer = JsonDocument.Parse(get.Output);
        var parameter = answer.RootElement.GetProperty("Parameter");
        Assert.Equal(("claims-v1", 1, ":prod"), (parameter.GetProperty("Value").GetString(), parameter.GetProperty("Version").GetInt64(), parameter.GetProperty("Selector").GetString()));
    }

    [Fact]
    public async Task LabelParameterVersion_LabelOnAnotherVersion_MovedAndTheHistoryShowsWhere()
    {
        using var put = await CallAsync("PutParameter", """{"Name":"/claims/table","Value":"claims-v2","Overwrite":true}""");
        using var first = await CallAsync("LabelParameterVersion", """{"Name":"/claims/table","ParameterVersion":1,"Labels":["prod","audited"]}""");
        using var moved = await CallAsync("LabelParameterVersion", """{"Name":"/claims/table","Labels":["prod"]}""");
        using var history = await CallAsync("GetParameterHistory", """{"Name":"/claims/table"}""");
        using var get = await CallAsync("GetParameter", """{"Name":"/claims/table:prod"}""");

        Assert.Equal(2, moved.RootElement.GetProperty("ParameterVersion").GetInt64());
        var versions = history.RootElement.GetProperty("Parameters").EnumerateArray().ToList();
        Assert.Equal(["audited"], versions[0].GetProperty("Labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(["prod"], versions[1].GetProperty("Labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("claims-v2", get.RootElement.GetProperty("Parameter").GetProperty("Value").GetString());
    }

    [Fact]
    public async Task LabelParameterVersion_LabelsBreakingTheRules_InInvalidLabelsAndNotAttached()
    {
        using var answer = await CallAsync("LabelParameterVersion", """{"Name":"/claims/table","Labels":["ok","1st","awsy","SSMx","has space"]}""");
        using var history = await CallAsync("GetParameterHistory", """{"Name":"/claims/table"}""");

        Assert.Equal(["1st", "awsy", "SSMx", "has space"], answer.RootElement.GetProperty("InvalidLabels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(["ok"], history.RootElement.GetProperty("Parameters")[0].GetProperty("Labels").EnumerateArray().Select(l => l.GetString()));
    }

    [Fact]
    public async Task LabelParameterVersion_LabelOverAHundredCharacters_ValidationException()
    {
        var label = new string('x', 101);

        var error = await ErrorAsync("LabelParameterVersion", $$"""{"Name":"/claims/table","Labels":["ok","{{label}}"]}""");

        Assert.Equal((HttpStatusCode.BadRequest, "ValidationException", $"1 validation error detected: Value '[{label}]' at 'labels' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 100, Member must have length greater than or equal to 1]"), error);
    }

    [Fact]
    public async Task LabelParameterVersion_AnEleventhLabel_ParameterVersionLabelLimitExceeded()
    {
        using var ten = await CallAsync("LabelParameterVersion", """{"Name":"/claims/table","Labels":["a0","a1","a2","a3","a4","a5","a6","a7","a8","a9"]}""");
        var error = await ErrorAsync("LabelParameterVersion", """{"Name":"/claims/table","Labels":["b0"]}""");
        var tooMany = await ErrorAsync("LabelParameterVersion", """{"Name":"/claims/table","Labels":["a0","a1","a2","a3","a4","a5","a6","a7","a8","a9","b0"]}""");

        Assert.Equal((HttpStatusCode.BadRequest, "ParameterVersionLabelLimitExceeded", "A parameter version can have maximum 10 labels.Move one or more labels to another version and try again."), error);
        Assert.Equal("ValidationException", tooMany.Type);
    }

    [Fact]
    public async Task LabelParameterVersion_MissingVersionOrParameter_ParameterVersionNotFoundOrParameterNotFound()
    {
        var version = await ErrorAsync("LabelParameterVersion", """{"Name":"/claims/table","ParameterVersion":5,"Labels":["prod"]}""");
        var parameter = await ErrorAsync("LabelParameterVersion", """{"Name":"/claims/none","Labels":["prod"]}""");

        Assert.Equal((HttpStatusCode.BadRequest, "ParameterVersionNotFound", "Systems Manager could not find version 5 of /claims/table. Verify the version and try again."), version);
        Assert.Equal((HttpStatusCode.BadRequest, "ParameterNotFound", null), parameter);
    }

    [Fact]
    public async Task UnlabelParameterVersion_OneAttachedOneNot_RemovedAndInvalidAndTheLabelNoLongerFound()
    {
        using var label = await CallAsync("LabelParameterVersion", """{"Name":"/claims/table","Labels":["prod"]}""");
        using var answer = await CallAsync("UnlabelParameterVersion", """{"Name":"/claims/table","ParameterVersion":1,"Labels":["prod","never"]}""");
        var get = await ErrorAsync("GetParameter", """{"Name":"/claims/table:prod"}""");

        Assert.Equal(["prod"], answer.RootElement.GetProperty("RemovedLabels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(["never"], answer.RootElement.GetProperty("InvalidLabels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("ParameterNotFound", get.Type);
    }

    [Fact]
    public async Task GetParameters_LabelSelectors_TheLabelledFoundAndAnUnknownLabelInvalid()
    {
        using var label = await CallAsync("LabelParameterVersion", """{"Name":"/claims/table","Labels":["prod"]}""");
        using var answer = await CallAsync("GetParameters", """{"Names":["/claims/table:prod","/claims/table:staging"]}""");

        var found = answer.RootElement.GetProperty("Parameters").EnumerateArray().Single();
        Assert.Equal(("/claims/table", ":prod"), (found.GetProperty("Name").GetString(), found.GetProperty("Selector").GetString()));
        Assert.Equal(["/claims/table:staging"], answer.RootElement.GetProperty("InvalidParameters").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task GetParametersByPath_LabelFilter_TheLabelledVersionOfTheLabelledParametersOnly()
    {
        using var other = await CallAsync("PutParameter", """{"Name":"/claims/queue","Value":"q","Type":"String"}""");
        using var put = await CallAsync("PutParameter", """{"Name":"/claims/table","Value":"claims-v2","Overwrite":true}""");
        using var label = await CallAsync("LabelParameterVersion", """{"Name":"/claims/table","ParameterVersion":1,"Labels":["prod"]}""");
        using var byPath = await CallAsync("GetParametersByPath", """{"Path":"/claims","ParameterFilters":[{"Key":"Label","Values":["prod"]}]}""");

        var found = byPath.RootElement.GetProperty("Parameters").EnumerateArray().Single();
        Assert.Equal(("/claims/table", "claims-v1"), (found.GetProperty("Name").GetString(), found.GetProperty("Value").GetString()));
    }

    [Theory]
    [InlineData("DescribeParameters", """{"Key":"Label","Values":["prod"]}""", "InvalidFilterKey", "The following filter key is not valid: Label. Valid filter keys include: [Name, Type, KeyId, Path, Tier, DataType].")]
    [InlineData("DescribeParameters", """{"Key":"Type","Option":"Contains","Values":["S"]}""", "InvalidFilterOption", "The following filter option is not valid: Contains. Valid options include: [Equals, BeginsWith].")]
    [InlineData("GetParametersByPath", """{"Key":"Label","Option":"BeginsWith","Values":["p"]}""", "InvalidFilterOption", "The following filter option is not valid: BeginsWith. Valid options include: [Equals].")]
    [InlineData("DescribeParameters", """{"Key":"Name"}""", "InvalidFilterValue", "The following filter values are missing : null for filter key Name.")]
    public async Task ParameterFilters_KeyOptionOrValuesTheOperationDoesNotRead_TheFilterError(string operation, string filter, string type, string message)
    {
        var input = operation == "DescribeParameters" ? $$"""{"ParameterFilters":[{{filter}}]}""" : $$"""{"Path":"/claims","ParameterFilters":[{{filter}}]}""";

        var error = await ErrorAsync(operation, input);

        Assert.Equal((HttpStatusCode.BadRequest, type, message), error);
    }

    [Fact]
    public async Task DescribeParameters_TypeBeginsWith_TheParametersWhoseTypeStartsSo()
    {
        using var secure = await CallAsync("PutParameter", """{"Name":"/claims/key","Value":"k","Type":"SecureString"}""");
        using var list = await CallAsync("PutParameter", """{"Name":"/claims/list","Value":"a,b","Type":"StringList"}""");

        using var answer = await CallAsync("DescribeParameters", """{"ParameterFilters":[{"Key":"Type","Option":"BeginsWith","Values":["String"]}]}""");

        Assert.Equal(["/claims/list", "/claims/table"], answer.RootElement.GetProperty("Parameters").EnumerateArray().Select(p => p.GetProperty("Name").GetString()));
    }

    [Theory]
    [InlineData("""{"Key":"tag:team","Values":["claims"]}""", "tag:team")]
    [InlineData("""{"Key":"Name","Values":["/claims/table"]}""", "Name")]
    [InlineData("""{"Key":"Tier","Values":["Standard"]}""", "Tier")]
    public async Task GetParametersByPath_FilterKeyItDoesNotRead_ValidationException(string filter, string key)
    {
        var error = await ErrorAsync("GetParametersByPath", $$"""{"Path":"/claims","ParameterFilters":[{{filter}}]}""");

        Assert.Equal((HttpStatusCode.BadRequest, "InvalidFilterKey", $"The following filter key is not valid: {key}. Valid filter keys include: [Type, KeyId, Label]."), error);
    }

    [Fact]
    public async Task GetParametersByPath_RecursiveInPagesOfTwo_EveryParameterUnderThePathOnce()
    {
        foreach (var name in new[] { "/app/a", "/app/b", "/app/c/d", "/app/c/e/f", "/apples" })
        {
            await CallAsync("PutParameter", $$"""{"Name":"{{name}}","Value":"v","Type":"String"}""");
        }

        var names = new List<string?>();
        string? token = null;
        var pages = 0;
        do
        {
            using var page = await CallAsync("GetParametersByPath", token is null
                ? """{"Path":"/app","Recursive":true,"MaxResults":2}"""
                : $$"""{"Path":"/app","Recursive":true,"MaxResults":2,"NextToken":"{{token}}"}""");
            names.AddRange(page.RootElement.GetProperty("Parameters").EnumerateArray().Select(p => p.GetProperty("Name").GetString()));
            token = page.RootElement.TryGetProperty("NextToken", out var next) ? next.GetString() : null;
            pages++;
        }
        while (token is not null);

        Assert.Equal(["/app/a", "/app/b", "/app/c/d", "/app/c/e/f"], names);
        Assert.Equal(2, pages);
    }

    [Fact]
    public async Task GetParametersByPath_AwsCliOneLevelWithTypeFilter_OnlyDirectChildrenOfThatType()
    {
        await CallAsync("PutParameter", """{"Name":"/svc/list","Value":"a,b","Type":"StringList"}""");
        await CallAsync("PutParameter", """{"Name":"/svc/plain","Value":"x","Type":"String"}""");
        await CallAsync("PutParameter", """{"Name":"/svc/deep/list","Value":"c","Type":"StringList"}""");

        var aws = await AwsAsync(AdminKey, "get-parameters-by-path", "--path", "/svc/", "--parameter-filters", "Key=Type,Values=StringList");

        Assert.True(aws.ExitCode == 0, aws.Error);
        using var answer = JsonDocument.Parse(aws.Output);
        var parameter = Assert.Single(answer.RootElement.GetProperty("Parameters").EnumerateArray());
        Assert.Equal("/svc/list", parameter.GetProperty("Name").GetString());
        Assert.Equal("a,b", parameter.GetProperty("Value").GetString());
    }

    [Fact]
    public async Task DescribeParameters_NameBeginsWith_TheMatchingParametersWithTheirMetadata()
    {
        await CallAsync("PutParameter", """{"Name":"/claims/secret","Value":"x","Type":"SecureString","Tier":"Advanced","Description":"d"}""");

        using var answer = await CallAsync("DescribeParameters", """{"ParameterFilters":[{"Key":"Name","Option":"BeginsWith","Values":["/claims/s"]}]}""");

        var parameter = Assert.Single(answer.RootElement.GetProperty("Parameters").EnumerateArray());
        Assert.Equal("/claims/secret", parameter.GetProperty("Name").GetString());
        Assert.Equal("Advanced", parameter.GetProperty("Tier").GetString());
        Assert.Equal("alias/aws/ssm", parameter.GetProperty("KeyId").GetString());
        Assert.Equal("d", parameter.GetProperty("Description").GetString());
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/Admin/session", parameter.GetProperty("LastModifiedUser").GetString());
        Assert.False(parameter.TryGetProperty("Value", out _));
    }

    [Fact]
    public async Task DeleteParameters_OneExistingOneMissing_DeletedAndInvalidThenGetNotFound()
    {
        using var deleted = await CallAsync("DeleteParameters", """{"Names":["/claims/table","/claims/none"]}""");
        var again = await ErrorAsync("DeleteParameter", """{"Name":"/claims/table"}""");

        Assert.Equal(["/claims/table"], deleted.RootElement.GetProperty("DeletedParameters").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["/claims/none"], deleted.RootElement.GetProperty("InvalidParameters").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("ParameterNotFound", again.Type);
    }

    [Theory]
    [InlineData("""{"Name":"/a//b","Value":"v","Type":"String"}""", "ValidationException", "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_")]
    [InlineData("""{"Name":"ssm-thing","Value":"v","Type":"String"}""", "ValidationException", "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_")]
    [InlineData("""{"Name":"/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16","Value":"v","Type":"String"}""", "HierarchyLevelLimitExceededException", "A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names in the Amazon Web Services Systems Manager User Guide.")]
    [InlineData("""{"Name":"/new","Value":"v"}""", "ValidationException", "A parameter type is required when you create a parameter.")]
    [InlineData("""{"Name":"/new","Value":"v","Type":"Secret"}""", "ValidationException", "1 validation error detected: Value 'Secret' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]")]
    [InlineData("""{"Name":"/new","Value":"abc","Type":"String","AllowedPattern":"^\\d+$"}""", "ParameterPatternMismatchException", "Parameter value, cannot be validated against allowedPattern: ^\\d+$")]
    public async Task PutParameter_Refused_TheErrorAsAwsWordsIt(string input, string type, string message)
    {
        var error = await ErrorAsync("PutParameter", input);

        Assert.Equal((HttpStatusCode.BadRequest, type, message), error);
    }

    [Fact]
    public async Task PutParameter_ValueOverFourKilobytes_RefusedForStandardAcceptedForAdvanced()
    {
        var value = new string('x', 4097);

        var standard = await ErrorAsync("PutParameter", $$"""{"Name":"/big","Value":"{{value}}","Type":"String"}""");
        using var advanced = await CallAsync("PutParameter", $$"""{"Name":"/big","Value":"{{value}}","Type":"String","Tier":"Advanced"}""");
        var downgrade = await ErrorAsync("PutParameter", """{"Name":"/big","Value":"small","Overwrite":true,"Tier":"Standard"}""");

        Assert.Equal("ValidationException", standard.Type);
        Assert.StartsWith("Standard tier parameters support a maximum parameter value of 4096 characters.", standard.Message, StringComparison.Ordinal);
        Assert.Equal("Advanced", advanced.RootElement.GetProperty("Tier").GetString());
        Assert.StartsWith("This parameter uses the advanced-parameter tier.", downgrade.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_AgainOnTheSameFolder_ParametersAndVersionsSurviveAndAnUnchangedSeedIsNotWrittenAgain()
    {
        await CallAsync("PutParameter", """{"Name":"/kept","Value":"one","Type":"String"}""");
        await CallAsync("PutParameter", """{"Name":"/kept","Value":"two","Overwrite":true}""");
        await _server!.DisposeAsync();
        _server = null;

        _server = await StartAsync([new ParameterSeed("/claims/table", "String", "claims-v1", "The claims table")]);
        using var kept = await CallAsync("GetParameter", """{"Name":"/kept"}""");
        using var seeded = await CallAsync("GetParameter", """{"Name":"/claims/table"}""");
        await _server.DisposeAsync();
        _server = await StartAsync([new ParameterSeed("/claims/table", "String", "claims-v2", "The claims table")]);
        using var changed = await CallAsync("GetParameter", """{"Name":"/claims/table"}""");

        Assert.Equal("two", kept.RootElement.GetProperty("Parameter").GetProperty("Value").GetString());
        Assert.Equal(2, kept.RootElement.GetProperty("Parameter").GetProperty("Version").GetInt64());
        Assert.Equal(1, seeded.RootElement.GetProperty("Parameter").GetProperty("Version").GetInt64());
        Assert.Equal(2, changed.RootElement.GetProperty("Parameter").GetProperty("Version").GetInt64());
        Assert.Equal("claims-v2", changed.RootElement.GetProperty("Parameter").GetProperty("Value").GetString());
    }

    [Fact]
    public async Task UpdateTemplateParameters_ChangedNewAndRemoved_NewVersionCreatedAndDeleted()
    {
        await CallAsync("PutParameter", """{"Name":"/old","Value":"v","Type":"String"}""");

        _server!.UpdateTemplateParameters(
            [new ParameterSeed("/claims/table", "String", "claims-v2", "The claims table"), new ParameterSeed("/claims/new", "StringList", "a,b")],
            ["/old"]);
        using var changed = await CallAsync("GetParameter", """{"Name":"/claims/table"}""");
        using var added = await CallAsync("GetParameter", """{"Name":"/claims/new"}""");
        using var history = await CallAsync("GetParameterHistory", """{"Name":"/claims/table"}""");
        var removed = await ErrorAsync("GetParameter", """{"Name":"/old"}""");

        Assert.Equal(("claims-v2", 2L), (changed.RootElement.GetProperty("Parameter").GetProperty("Value").GetString(), changed.RootElement.GetProperty("Parameter").GetProperty("Version").GetInt64()));
        Assert.Equal(["claims-v1", "claims-v2"], history.RootElement.GetProperty("Parameters").EnumerateArray().Select(p => p.GetProperty("Value").GetString()));
        Assert.Equal(("a,b", "StringList", 1L), (added.RootElement.GetProperty("Parameter").GetProperty("Value").GetString(), added.RootElement.GetProperty("Parameter").GetProperty("Type").GetString(), added.RootElement.GetProperty("Parameter").GetProperty("Version").GetInt64()));
        Assert.Equal("ParameterNotFound", removed.Type);
    }

    [Fact]
    public async Task GetParameter_CallerAllowedOnlyToReadOnePath_ReadsItAndIsDeniedTheWriteAsAwsWordsIt()
    {
        var get = await AwsAsync(ReaderKey, "get-parameter", "--name", "/claims/table");
        var put = await AwsAsync(ReaderKey, "put-parameter", "--name", "/claims/table", "--value", "x", "--type", "String", "--overwrite");
        var other = await AwsAsync(ReaderKey, "get-parameter", "--name", "/other");

        Assert.True(get.ExitCode == 0, get.Error);
        Assert.Equal(254, put.ExitCode);
        Assert.Contains(
            $"An error occurred (AccessDeniedException) when calling the PutParameter operation: User: arn:aws:sts::{Account}:assumed-role/Reader/session is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:{Region}:{Account}:parameter/claims/table because no identity-based policy allows the ssm:PutParameter action",
            put.Error,
            StringComparison.Ordinal);
        Assert.Contains($"ssm:GetParameter on resource: arn:aws:ssm:{Region}:{Account}:parameter/other because", other.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_Unsigned_MissingAuthenticationToken()
    {
        using var response = await PostAsync("GetParameter", """{"Name":"/claims/table"}""", sign: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("MissingAuthenticationTokenException", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutParameter_AwsCliTagsWithOverwrite_ValidationExceptionAndTheValueKept()
    {
        var put = await AwsAsync(AdminKey, "put-parameter", "--name", "/claims/table", "--value", "claims-v2", "--overwrite", "--tags", "Key=team,Value=claims");
        using var get = await CallAsync("GetParameter", """{"Name":"/claims/table"}""");

        Assert.Equal(254, put.ExitCode);
        Assert.Contains("An error occurred (ValidationException) when calling the PutParameter operation: Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.", put.Error, StringComparison.Ordinal);
        Assert.Equal("claims-v1", get.RootElement.GetProperty("Parameter").GetProperty("Value").GetString());
        Assert.Equal(1, get.RootElement.GetProperty("Parameter").GetProperty("Version").GetInt64());
    }

    [Theory]
    [InlineData("GetParameter", """{"Name":""}""")]
    [InlineData("GetParameterHistory", """{"Name":""}""")]
    [InlineData("DeleteParameter", """{"Name":""}""")]
    [InlineData("PutParameter", """{"Name":"","Value":"x","Type":"String"}""")]
    public async Task ParameterOperation_EmptyName_ValidationExceptionNamingTheLength(string operation, string input)
    {
        var error = await ErrorAsync(operation, input);

        Assert.Equal((HttpStatusCode.BadRequest, "ValidationException", "1 validation error detected: Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1"), error);
    }

    [Fact]
    public async Task GetParameter_NameLongerThan2048_ValidationExceptionNamingTheLength()
    {
        var name = "/" + new string('a', 2048);

        var error = await ErrorAsync("GetParameter", $$"""{"Name":"{{name}}"}""");

        Assert.Equal((HttpStatusCode.BadRequest, "ValidationException", $"1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 2048"), error);
    }

    [Fact]
    public async Task PutParameter_SecureStringWithKeyId_DescribedWithThatKeyKeptByAnOverwriteAndAcrossARestart()
    {
        var put = await AwsAsync(AdminKey, "put-parameter", "--name", "/claims/secret", "--value", "s3cret", "--type", "SecureString", "--key-id", "alias/claims");
        await CallAsync("PutParameter", """{"Name":"/claims/secret","Value":"s3cret-2","Overwrite":true}""");
        await CallAsync("PutParameter", """{"Name":"/claims/default","Value":"d","Type":"SecureString"}""");
        await _server!.DisposeAsync();
        _server = await StartAsync([new ParameterSeed("/claims/table", "String", "claims-v1", "The claims table")]);
        using var described = await CallAsync("DescribeParameters", """{"ParameterFilters":[{"Key":"KeyId","Values":["alias/claims"]}]}""");
        using var history = await CallAsync("GetParameterHistory", """{"Name":"/claims/secret"}""");
        using var defaults = await CallAsync("DescribeParameters", """{"ParameterFilters":[{"Key":"KeyId","Values":["alias/aws/ssm"]}]}""");

        Assert.True(put.ExitCode == 0, put.Error);
        var parameter = Assert.Single(described.RootElement.GetProperty("Parameters").EnumerateArray());
        Assert.Equal("/claims/secret", parameter.GetProperty("Name").GetString());
        Assert.Equal("alias/claims", parameter.GetProperty("KeyId").GetString());
        Assert.Equal(2, parameter.GetProperty("Version").GetInt64());
        Assert.All(history.RootElement.GetProperty("Parameters").EnumerateArray(), v => Assert.Equal("alias/claims", v.GetProperty("KeyId").GetString()));
        Assert.Equal(["/claims/default"], defaults.RootElement.GetProperty("Parameters").EnumerateArray().Select(p => p.GetProperty("Name").GetString()));
    }

    [Fact]
    public async Task PutParameter_CallerAllowedOnlyWithATeamTag_TaggedPutAllowedUntaggedAndOtherTagsDenied()
    {
        var tagged = await AwsAsync(TaggerKey, "put-parameter", "--name", "/claims/queue", "--value", "q-1", "--type", "String", "--tags", "Key=team,Value=claims");
        var untagged = await AwsAsync(TaggerKey, "put-parameter", "--name", "/claims/other", "--value", "o-1", "--type", "String");
        var extra = await AwsAsync(TaggerKey, "put-parameter", "--name", "/claims/extra", "--value", "e-1", "--type", "String", "--tags", "Key=team,Value=claims", "Key=cost,Value=1");

        Assert.True(tagged.ExitCode == 0, tagged.Error);
        Assert.Equal(254, untagged.ExitCode);
        Assert.Contains("(AccessDeniedException) when calling the PutParameter operation", untagged.Error, StringComparison.Ordinal);
        Assert.Equal(254, extra.ExitCode);
        Assert.Contains("(AccessDeniedException) when calling the PutParameter operation", extra.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutParameter_TagWithoutValue_ValidationExceptionNamingTheMember()
    {
        var error = await ErrorAsync("PutParameter", """{"Name":"/claims/queue","Value":"q","Type":"String","Tags":[{"Key":"team"}]}""");

        Assert.Equal((HttpStatusCode.BadRequest, "ValidationException", "1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null"), error);
    }

    private Task<SsmServer> StartAsync(IReadOnlyList<ParameterSeed> seeds) => SsmServer.StartAsync(new SsmOptions
    {
        HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        Certificate = _home.Certificate,
        Account = Cloister.Model.AccountContext.Default with { AccountId = Account, Region = Region },
        Access = new SsmAccess { Callers = Caller },
        DataDirectory = DataDirectory,
        Seeds = seeds,
    });

    private async Task<JsonDocument> CallAsync(string operation, string input)
    {
        using var response = await PostAsync(operation, input, sign: true);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body);
    }

    private async Task<(HttpStatusCode Status, string? Type, string? Message)> ErrorAsync(string operation, string input)
    {
        using var response = await PostAsync(operation, input, sign: true);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.GetProperty("__type").GetString(), body.RootElement.TryGetProperty("message", out var message) ? message.GetString() : null);
    }

    private async Task<HttpResponseMessage> PostAsync(string operation, string input, bool sign)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == _home.Certificate.Thumbprint };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new StringContent(input, Encoding.UTF8, "application/x-amz-json-1.1") };
        request.Content.Headers.ContentType!.CharSet = null;
        request.Headers.Add("X-Amz-Target", SsmHandler.TargetPrefix + operation);
        if (sign)
        {
            TestSigner.Sign(request, AdminKey, TestCallers.Secret, null, Region, DateTimeOffset.UtcNow, "ssm");
        }

        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private Task<(int ExitCode, string Output, string Error)> AwsAsync(string key, params string[] arguments) =>
        _home.Cli(Region).RunAsync(key, TestCallers.Secret, ["ssm", .. arguments, "--endpoint-url", Url.ToString()]);

    private static CallerIdentity? Caller(string key) => key switch
    {
        AdminKey => TestCallers.RoleSession("Admin", "\"ssm:*\""),
        ReaderKey => TestCallers.RoleSessionWith("Reader", $$"""[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"arn:aws:ssm:{{Region}}:{{Account}}:parameter/claims/*"}]"""),
        ExpiredKey => TestCallers.RoleSession("Admin", "\"ssm:*\"") with { Expiration = DateTimeOffset.UtcNow.AddSeconds(-1) },
        TaggerKey => TestCallers.RoleSessionWith("Tagger", """[{"Effect":"Allow","Action":"ssm:PutParameter","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/team":"claims"},"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}}]"""),
        _ => null,
    };
}
