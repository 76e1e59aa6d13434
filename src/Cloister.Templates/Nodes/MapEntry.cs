using Cloister.Model.Validation;

namespace Cloister.Templates.Nodes;

/// <summary>One key of a map, where the key was written, and its value.</summary>
internal sealed record MapEntry(string Key, SourceLocation KeyLocation, Node Value);
