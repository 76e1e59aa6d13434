using Cloister.Tables.PartiQL;
using Cloister.Tables.Protocol;

namespace Cloister.Tables.Tests.PartiQL;

/// <summary>The PartiQL parser on its own: statement forms, and random or mutated text never crashing it.</summary>
public sealed class PartiqlParserTests
{
    [Fact]
    public void Parse_SelectFromIndex_ReadsTableIndexProjectionAndOrder()
    {
        var statement = PartiqlParser.Parse("select a, \"b\".c[2] from \"T\".\"I\" where a = ? and b.c[2] <> 'x''y' order by s desc");

        Assert.Equal(PartiqlStatementKind.Select, statement.Kind);
        Assert.Equal("T", statement.Table);
        Assert.Equal("I", statement.Index);
        Assert.Equal(2, statement.Projection.Length);
        Assert.Equal(1, statement.ParameterCount);
        Assert.True(statement.Descending);
        var and = Assert.IsType<BinaryNode>(statement.Where);
        Assert.Equal(new StringNode("x'y"), Assert.IsType<BinaryNode>(and.Right).Right);
    }

    [Fact]
    public void Parse_UpdateReturning_ReadsReturnValues()
    {
        var statement = PartiqlParser.Parse("UPDATE t SET a = 1, b = list_append(b, [2]) REMOVE c WHERE k = 1 RETURNING MODIFIED OLD *");

        Assert.Equal(3, statement.Updates.Length);
        Assert.Null(statement.Updates[2].Value);
        Assert.Equal("UPDATED_OLD", statement.Returning);
    }

    [Fact]
    public void Parse_RandomAndMutatedText_OnlyValidationExceptions()
    {
        var random = new Random(28);
        string[] seeds =
        [
            "SELECT * FROM \"t\" WHERE a = 1 AND b BETWEEN 1 AND 2 OR c IN [1,2] AND d IS NOT MISSING",
            "INSERT INTO \"t\" VALUE {'a': [1, {'b': <<'x'>>}], 'c': -1.5e3}",
            "UPDATE \"t\" SET a = a + 1 REMOVE b[0] WHERE k = ? RETURNING ALL NEW *",
            "DELETE FROM \"t\" WHERE k = 'v' RETURNING ALL OLD *",
        ];
        const string alphabet = "SELECT*FROMWHERE\"'[]{}()<>=!?.,:-+ 0123456789abAND";
        for (var i = 0; i < 20_000; i++)
        {
            var chars = seeds[i % seeds.Length].ToCharArray();
            for (var j = random.Next(1, 6); j > 0; j--)
            {
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
            }

            var text = i % 5 == 0 ? new string(chars, 0, random.Next(chars.Length)) : new string(chars);
            try
            {
                PartiqlParser.Parse(text);
            }
            catch (DynamoDbException error)
            {
                Assert.Equal(ErrorCodes.Validation, error.Type);
            }
        }
    }

    [Fact]
    public void Parse_DeeplyNested_ValidationException()
    {
        var text = "SELECT * FROM t WHERE " + new string('(', 5000) + "a = 1" + new string(')', 5000);

        var error = Assert.Throws<DynamoDbException>(() => PartiqlParser.Parse(text));

        Assert.Equal(ErrorCodes.Validation, error.Type);
    }
}
