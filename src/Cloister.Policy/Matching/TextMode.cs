namespace Cloister.Policy.Matching;

/// <summary>How a policy text is compared with a request's text.</summary>
internal enum TextMode
{
    /// <summary>Ordinal, case-sensitive equality.</summary>
    Equals,

    /// <summary>Ordinal equality ignoring case.</summary>
    EqualsIgnoreCase,

    /// <summary><c>*</c>/<c>?</c> wildcards, case-sensitive (StringLike).</summary>
    Like,

    /// <summary>ARN matching part by part with wildcards (ArnEquals, ArnLike).</summary>
    Arn,

    /// <summary>The Resource element's ARN matching: a <c>*</c> ending one of the first five segments expands beyond the colon.</summary>
    Resource,
}
