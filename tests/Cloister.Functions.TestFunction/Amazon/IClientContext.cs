namespace Amazon.Lambda.Core;

/// <summary>The shape of Amazon.Lambda.Core's client context.</summary>
public interface IClientContext
{
    IDictionary<string, string> Environment { get; }

    IClientApplication Client { get; }

    IDictionary<string, string> Custom { get; }
}
