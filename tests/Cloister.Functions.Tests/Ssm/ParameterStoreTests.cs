using System.Text;
using Cloister.Functions.Ssm;

namespace Cloister.Functions.Tests.Ssm;

/// <summary>
/// Parameter Store's file (<c>parameters.jsonl</c>) read back as a restarted server reads it: versions in order,
/// deletions, a last line torn by a crash, the 100 versions kept; and the name rules fed random and mutated input.
/// </summary>
public sealed class ParameterStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cloister-ssm-store-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ParameterStore_ReopenedAfterATornLastLine_EveryWholeRecordAndNotTheTornOne()
    {
        var store = new ParameterStore(_folder);
        Put(store, "/a", "one");
        Put(store, "/a", "two");
        Put(store, "/b", "gone");
        store.Delete("/b");
        File.AppendAllText(Path.Combine(_folder, "parameters.jsonl"), """{"op":"put","name":"/c","type":"Str""", Encoding.UTF8);

        var reopened = new ParameterStore(_folder);

        Assert.Equal(["one", "two"], reopened.History("/a").Select(v => v.Value));
        Assert.Equal(2, reopened.Latest("/a")!.Version);
        Assert.Null(reopened.Latest("/b"));
        Assert.Null(reopened.Latest("/c"));
    }

    [Fact]
    public void Put_MoreThanAHundredVersions_TheLatestHundredKeptAcrossARestart()
    {
        var store = new ParameterStore(_folder);
        for (var i = 1; i <= 103; i++)
        {
            Put(store, "/many", $"v{i}");
        }

        var history = new ParameterStore(_folder).History("/many");

        Assert.Equal(ParameterStore.MaxVersions, history.Count);
        Assert.Equal((4, 103), (history[0].Version, history[^1].Version));
    }

    [Fact]
    public void Put_DeletedThenCreatedAgain_StartsAtVersionOne()
    {
        var store = new ParameterStore(_folder);
        Put(store, "/again", "one");
        Put(store, "/again", "two");
        store.Delete("/again");

        var written = Put(store, "/again", "three");

        Assert.Equal(1, written.Version);
    }

    [Fact]
    public void Put_HundredVersionsWithTheOldestLabelled_ParameterMaxVersionLimitExceededAndNothingWritten()
    {
        var store = new ParameterStore(_folder);
        for (var i = 1; i <= ParameterStore.MaxVersions; i++)
        {
            Put(store, "/many", $"v{i}");
        }

        store.Label("/many", 1, ["pinned"]);

        var refused = Assert.Throws<SsmException>(() => Put(store, "/many", "v101"));

        Assert.Equal("ParameterMaxVersionLimitExceeded", refused.Type);
        Assert.Equal("You attempted to create a new version of /many by calling the PutParameter API with the overwrite flag. Version 1, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.", refused.Message);
        Assert.Equal(100, new ParameterStore(_folder).Latest("/many")!.Version);
    }

    [Fact]
    public void Label_MovedThenUnlabelledThenReopened_EachVersionKeepsItsLabels()
    {
        var store = new ParameterStore(_folder);
        Put(store, "/app", "one");
        Put(store, "/app", "two");
        store.Label("/app", 1, ["prod", "stable"]);
        store.Label("/app", null, ["prod"]);
        store.Unlabel("/app", 1, ["stable"]);
        store.Label("/app", 1, ["old"]);

        var history = new ParameterStore(_folder).History("/app");

        Assert.Equal(["old"], history[0].Labels);
        Assert.Equal(["prod"], history[1].Labels);
    }

    [Fact]
    public void ParameterLabels_RulesOfLabelParameterVersion_OnlyTheWellFormedValid()
    {
        string[] valid = ["prod", "Prod.v2-x_y", "a", new('x', 100), "As", "s3"];
        string[] invalid = ["", "1st", "aws-x", "AWSx", "ssm", "SsmLabel", "has space", "a/b", "a:b", new('x', 101), "é"];

        Assert.All(valid, label => Assert.True(ParameterLabels.IsValid(label), label));
        Assert.All(invalid, label => Assert.False(ParameterLabels.IsValid(label), label));
    }

    [Fact]
    public void ParameterNames_RandomAndMutatedNames_EitherAcceptedOrRefusedWithAnSsmError()
    {
        var random = new Random(20261125);
        string[] seeds = ["/claims/table", "name", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o", "/aws/x", "ssm", "/x.y-z_1"];
        const string alphabet = "/aA0_.-:*é \u0000\\";
        for (var i = 0; i < 20_000; i++)
        {
            var text = new StringBuilder(seeds[random.Next(seeds.Length)]);
            for (var edits = random.Next(4); edits > 0; edits--)
            {
                var at = random.Next(text.Length + 1);
                if (random.Next(2) == 0 || text.Length == 0)
                {
                    text.Insert(at, alphabet[random.Next(alphabet.Length)]);
                }
                else
                {
                    text.Remove(Math.Min(at, text.Length - 1), 1);
                }
            }

            var name = text.ToString();
            Refusal(() => ParameterNames.CheckForWrite(name));
            Refusal(() => ParameterNames.CheckPath(name));
        }
    }

    private static void Refusal(Action check)
    {
        try
        {
            check();
        }
        catch (SsmException refused)
        {
            Assert.NotEmpty(refused.Type);
        }
    }

    private static ParameterVersion Put(ParameterStore store, string name, string value) =>
        store.Put(name, overwrite: true, _ => new ParameterVersion(name, "String", value, 0, null, null, "Standard", "text", 0, "tester", null));
}
