using Cloister.Policy.Evaluation;

namespace Cloister.Policy.Matching;

/// <summary>One piece of a <see cref="TemplateText"/>.</summary>
/// <param name="Kind">What the piece is.</param>
/// <param name="Text">The text (Text, LiteralChar) or the variable as written (Variable).</param>
/// <param name="Key">The condition key of a Variable.</param>
/// <param name="Default">The default of <c>${key, 'default'}</c>, used when the request lacks the key.</param>
internal readonly record struct TemplatePart(TemplatePartKind Kind, string Text, ContextKey Key, string? Default);
