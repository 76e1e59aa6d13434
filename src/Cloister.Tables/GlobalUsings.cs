global using Item = System.Collections.Generic.IReadOnlyDictionary<string, Cloister.Tables.Values.AttributeValue>;
