namespace Cloister.Functions.TestFunction;

public sealed class TestEvent
{
    public string? Action { get; set; }

    public int Ms { get; set; }

    public string? Value { get; set; }

    public bool Fail { get; set; }
}
