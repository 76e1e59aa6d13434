namespace Cloister.Templates.Nodes;

/// <summary>What a scalar was written as; CloudFormation treats most as strings, policies keep the difference.</summary>
internal enum ScalarKind
{
    String,
    Number,
    Boolean,
    Null,
}
