namespace Cloister.Policy.Matching;

/// <summary>What one piece of a <see cref="TemplateText"/> is.</summary>
internal enum TemplatePartKind
{
    /// <summary>Policy text, where <c>*</c> and <c>?</c> are wildcards for the operators that have them.</summary>
    Text,

    /// <summary><c>${*}</c>, <c>${?}</c> or <c>${$}</c>: the character itself, never a wildcard.</summary>
    LiteralChar,

    /// <summary><c>${key}</c> or <c>${key, 'default'}</c>: the request's value of the key, taken literally.</summary>
    Variable,
}
