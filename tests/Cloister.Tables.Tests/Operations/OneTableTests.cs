namespace Cloister.Tables.Tests.Operations;

/// <summary>
/// The base of the operation classes whose every test has a table service of its own on loopback with one new table,
/// keyed <c>PK</c> of type S (xunit makes an instance of the class, and so a service, per test).
/// </summary>
public abstract class OneTableTests : IAsyncLifetime
{
    private protected TablesApi _api = null!;
    private protected string _table = null!;

    public virtual async Task InitializeAsync()
    {
        _api = await TablesApi.StartAsync();
        _table = await _api.CreateTableAsync();
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();
}
