using System.Net;

namespace Cloister.Tables.Tests.Operations;

/// <summary>UpdateTimeToLive's request over loopback HTTP: the attribute name's bounds, with DynamoDB's messages.</summary>
public sealed class TimeToLiveTests : IAsyncLifetime
{
    private TablesApi _api = null!;

    public async Task InitializeAsync() => _api = await TablesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [InlineData(0, "Member must have length greater than or equal to 1")]
    [InlineData(256, "Member must have length less than or equal to 255")]
    public async Task UpdateTimeToLive_AttributeNameOutside1To255_RefusedAndTimeToLiveStaysOff(int length, string constraint)
    {
        var table = await _api.CreateTableAsync();
        var name = new string('t', length);

        var response = await _api.SendAsync("UpdateTimeToLive", $$$$$"""{"TableName":"{{{{{table}}}}}","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"{{{{{name}}}}}"}}""");
        var described = await _api.OkAsync("DescribeTimeToLive", $$$$$"""{"TableName":"{{{{{table}}}}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("ValidationException", response.ErrorType);
        Assert.Equal($"1 validation error detected: Value '{name}' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: {constraint}", response.Message);
        Assert.Equal("DISABLED", described.GetProperty("TimeToLiveDescription").GetProperty("TimeToLiveStatus").GetString());
    }

    [Fact]
    public async Task UpdateTimeToLive_AttributeNameOf255_Enabled()
    {
        var table = await _api.CreateTableAsync();
        var name = new string('t', 255);

        var response = await _api.OkAsync("UpdateTimeToLive", $$$$$"""{"TableName":"{{{{{table}}}}}","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"{{{{{name}}}}}"}}""");

        Assert.Equal(name, response.GetProperty("TimeToLiveSpecification").GetProperty("AttributeName").GetString());
    }
}
