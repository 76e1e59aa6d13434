namespace Cloister.Functions.Runtimes;

/// <summary>The families of Lambda runtimes Cloister runs.</summary>
internal enum RuntimeKind
{
    /// <summary><c>provided.al2023</c>, <c>provided.al2</c>: the code's own <c>bootstrap</c>.</summary>
    Provided,

    /// <summary><c>dotnet8</c> (and later): Cloister's .NET host loads <c>Assembly::Type::Method</c>.</summary>
    Dotnet,

    /// <summary><c>nodejs20.x</c>, <c>nodejs22.x</c>: Cloister's JavaScript bootstrap loads <c>file.handler</c>.</summary>
    Node,

    /// <summary><c>python3.x</c>: Cloister's Python bootstrap loads <c>module.function</c>.</summary>
    Python,
}
