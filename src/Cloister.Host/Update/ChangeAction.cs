namespace Cloister.Host.Update;

/// <summary>The action of a <see cref="ResourceChange"/>, as CloudFormation's change sets name them.</summary>
internal enum ChangeAction
{
    /// <summary>The resource is new.</summary>
    Add,

    /// <summary>The resource's properties changed.</summary>
    Modify,

    /// <summary>The resource is gone from the template.</summary>
    Remove,
}
