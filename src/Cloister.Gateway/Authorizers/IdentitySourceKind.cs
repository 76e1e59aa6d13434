namespace Cloister.Gateway.Authorizers;

/// <summary>Where an authorizer's identity value is read from.</summary>
internal enum IdentitySourceKind
{
    /// <summary><c>method.request.header.X</c>.</summary>
    Header,

    /// <summary><c>method.request.querystring.X</c>.</summary>
    QueryString,

    /// <summary><c>stageVariables.X</c>.</summary>
    StageVariable,

    /// <summary><c>context.X</c>.</summary>
    Context,
}
