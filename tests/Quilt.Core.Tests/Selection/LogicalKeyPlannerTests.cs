using Quilt.Core.Errors;
using Quilt.Core.Selection;

namespace Quilt.Core.Tests.Selection;

public sealed class LogicalKeyPlannerTests
{
    [Fact]
    public void Add_PreserveStructure_UsesRelativePaths()
    {
        var planner = new LogicalKeyPlanner(preserveStructure: true);
        planner.Add("src/a/x.csv", "a/x.csv");
        planner.Add("src/b/x.csv", "b/x.csv");

        planner.Keys.ShouldBe([new PlannedKey("src/a/x.csv", "a/x.csv", "a/x.csv"), new PlannedKey("src/b/x.csv", "b/x.csv", "b/x.csv")]);
        planner.HasErrors.ShouldBeFalse();
        planner.ThrowIfInvalid();
    }

    [Fact]
    public void Add_FlatWithSameFileName_ReportsCollisionByName()
    {
        var planner = new LogicalKeyPlanner(preserveStructure: false);
        planner.Add("src/a/x.csv", "a/x.csv");
        planner.Add("src/b/x.csv", "b/x.csv");
        planner.Add("src/c/y.csv", "c/y.csv");
        planner.Add("src/d/x.csv", "d/x.csv");

        planner.Collisions.Count.ShouldBe(1);
        planner.Collisions[0].LogicalKey.ShouldBe("x.csv");
        planner.Collisions[0].SourceKeys.ShouldBe(["src/a/x.csv", "src/b/x.csv", "src/d/x.csv"]);
        planner.Keys.Select(k => k.LogicalKey).ShouldBe(["x.csv", "y.csv"]);

        var ex = Should.Throw<QuiltException>(planner.ThrowIfInvalid);
        ex.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        ex.Message.ShouldContain("'x.csv' <- 'src/a/x.csv', 'src/b/x.csv', 'src/d/x.csv'");
        var hint = ex.Hint.ShouldNotBeNull();
        hint.ShouldContain("keep the folder structure");
        hint.ShouldNotContain("preserve_structure");
        hint.ShouldNotContain("--flatten");
        hint.ShouldContain("exclude one of them");
        ex.Reason.ShouldBe(QuiltErrorReason.LogicalKeyCollision);
        ex.Field.ShouldBe(QuiltInputField.PreserveStructure);
    }

    [Fact]
    public void ThrowIfInvalid_ManyCollisions_ListsTwentyThenCount()
    {
        var planner = new LogicalKeyPlanner(preserveStructure: false);
        for (var i = 0; i < 25; i++)
        {
            planner.Add($"a/f{i}", $"a/f{i}");
            planner.Add($"b/f{i}", $"b/f{i}");
        }

        var ex = Should.Throw<QuiltException>(planner.ThrowIfInvalid);

        ex.Message.ShouldStartWith("25 logical key(s)");
        ex.Message.ShouldContain("'f19' <-");
        ex.Message.ShouldNotContain("'f20' <-");
        ex.Message.ShouldContain("and 5 more");
    }

    [Fact]
    public void ThrowIfInvalid_OneNameManySources_ListsFiveSourcesThenCount()
    {
        var planner = new LogicalKeyPlanner(preserveStructure: false);
        for (var i = 0; i < 8; i++)
        {
            planner.Add($"d{i}/index.html", $"d{i}/index.html");
        }

        var ex = Should.Throw<QuiltException>(planner.ThrowIfInvalid);

        ex.Message.ShouldContain("'d4/index.html' and 3 more");
        ex.Message.ShouldNotContain("d5/index.html");
    }

    [Theory]
    [InlineData("a//b", "'//'")]
    [InlineData("./x", "'.' path segment")]
    [InlineData("x/..", "'..' path segment")]
    [InlineData("/abs", "starts with '/'")]
    [InlineData("dir/", "ends with '/'")]
    public void Add_InvalidLogicalKeyFromS3Key_IsCollectedNamingSourceKey(string relativePath, string rule)
    {
        var planner = new LogicalKeyPlanner(preserveStructure: true);
        planner.Add("prefix/" + relativePath, relativePath);
        planner.Add("prefix/ok.txt", "ok.txt");

        planner.InvalidKeys.Count.ShouldBe(1);
        planner.InvalidKeys[0].SourceKey.ShouldBe("prefix/" + relativePath);
        planner.Keys.Select(k => k.LogicalKey).ShouldBe(["ok.txt"]);
        var ex = Should.Throw<QuiltException>(planner.ThrowIfInvalid);
        ex.Message.ShouldContain($"'prefix/{relativePath}'");
        ex.Message.ShouldContain(rule);
        ex.Hint!.ShouldContain("exclude");
    }

    [Fact]
    public void Add_FlatFolderMarker_IsInvalidEmptyKey()
    {
        var planner = new LogicalKeyPlanner(preserveStructure: false);
        planner.Add("p/dir/", "dir/");

        planner.InvalidKeys.Single().Reason.ShouldContain("empty");
    }

    [Fact]
    public void Add_FileAndFolderWithSameName_ReportsPathConflictEitherOrder()
    {
        var fileFirst = new LogicalKeyPlanner(preserveStructure: true);
        fileFirst.Add("s/a", "a");
        fileFirst.Add("s/a/b", "a/b");
        fileFirst.Add("s/a/c/d", "a/c/d");

        var nestedFirst = new LogicalKeyPlanner(preserveStructure: true);
        nestedFirst.Add("s/a/b/c", "a/b/c");
        nestedFirst.Add("s/a/b", "a/b");

        fileFirst.PathConflicts.ShouldBe([new PathConflict("a", "s/a", "a/b", "s/a/b")]);
        nestedFirst.PathConflicts.ShouldBe([new PathConflict("a/b", "s/a/b", "a/b/c", "s/a/b/c")]);
        var ex = Should.Throw<QuiltException>(nestedFirst.ThrowIfInvalid);
        ex.Message.ShouldContain("both a file and a folder");
        ex.Message.ShouldContain("'a/b' (from 's/a/b') and 'a/b/c' (from 's/a/b/c')");
    }

    [Fact]
    public void Add_SimilarButDistinctNames_AreNoConflict()
    {
        var planner = new LogicalKeyPlanner(preserveStructure: true);
        planner.Add("a", "a");
        planner.Add("ab/c", "ab/c");
        planner.Add("a-c", "a-c");
        planner.Add("a.b/c", "a.b/c");

        planner.HasErrors.ShouldBeFalse();
    }

    [Fact]
    public void ThrowIfInvalid_AllProblemKinds_ReportsEachWithCombinedHint()
    {
        var planner = new LogicalKeyPlanner(preserveStructure: true);
        planner.Add("x", "x");
        planner.Add("x2", "x");
        planner.Add("a//b", "a//b");
        planner.Add("x/y", "x/y");

        var ex = Should.Throw<QuiltException>(planner.ThrowIfInvalid);

        ex.Message.ShouldContain("more than one object");
        ex.Message.ShouldContain("invalid logical key");
        ex.Message.ShouldContain("both a file and a folder");
        var hint = ex.Hint.ShouldNotBeNull();
        hint.ShouldContain("exclude all but one");
        hint.ShouldContain("exclude either the file");
    }

    [Fact]
    public void Add_OneMillionKeys_PlansAllWithoutErrors()
    {
        var planner = new LogicalKeyPlanner(preserveStructure: true);
        for (var i = 0; i < 1_000_000; i++)
        {
            var path = $"d{i % 1000}/f{i}.bin";
            planner.Add(path, path);
        }

        planner.Keys.Count.ShouldBe(1_000_000);
        planner.HasErrors.ShouldBeFalse();
        planner.Add("d7", "d7");
        planner.PathConflicts.Single().FileKey.ShouldBe("d7");
    }

    [Fact]
    public void Add_OneMillionFlatKeysWithOneDuplicate_FindsIt()
    {
        var planner = new LogicalKeyPlanner(preserveStructure: false);
        for (var i = 0; i < 1_000_000; i++)
        {
            planner.Add($"p/{i % 7}/f{i}", $"{i % 7}/f{i}");
        }

        planner.Add("q/f123456", "q/f123456");

        planner.Collisions.Single().ShouldBe(new KeyCollision("f123456", ["p/4/f123456", "q/f123456"]), new KeyCollisionComparer());
    }

    private sealed class KeyCollisionComparer : IEqualityComparer<KeyCollision>
    {
        public bool Equals(KeyCollision? x, KeyCollision? y) =>
            x is not null && y is not null && x.LogicalKey == y.LogicalKey && x.SourceKeys.SequenceEqual(y.SourceKeys);

        public int GetHashCode(KeyCollision obj) => obj.LogicalKey.GetHashCode(StringComparison.Ordinal);
    }
}
