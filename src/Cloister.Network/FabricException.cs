namespace Cloister.Network;

/// <summary>The fabric could not be built or changed: a tool failed, or the model cannot be realized.</summary>
public sealed class FabricException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FabricException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public FabricException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public FabricException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
