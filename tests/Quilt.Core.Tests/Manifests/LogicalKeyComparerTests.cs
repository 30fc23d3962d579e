using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Quilt.Core.Manifests;
using Quilt.Core.Tests.Json;

namespace Quilt.Core.Tests.Manifests;

public sealed class LogicalKeyComparerTests
{
    [Theory]
    [InlineData("a/b", "a-c")]
    [InlineData("a", "a/b")]
    [InlineData("a/b", "a/b/c")]
    [InlineData("a/z", "a-")]
    [InlineData("a/b/c", "a/bc")]
    [InlineData("a//b", "a/b")]
    [InlineData("a/", "a/b")]
    [InlineData("B", "Z")]
    [InlineData("Z", "a")]
    [InlineData("a", "é")]
    [InlineData("é", "\uffff")]
    [InlineData("\uffff", "😀")]
    [InlineData("\ue000", "😀")]
    [InlineData("😀", "\U0001F601")]
    [InlineData("x\uffff/", "x😀")]
    [InlineData("a/\u0000", "a\u0000")]
    [InlineData("", "a")]
    public void Compare_WalkOrder_FirstBeforeSecond(string first, string second)
    {
        LogicalKeyComparer.Instance.Compare(first, second).ShouldBeLessThan(0);
        LogicalKeyComparer.Instance.Compare(second, first).ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Compare_LoneSurrogates_CountAsTheirCodeUnit()
    {
        var comparer = LogicalKeyComparer.Instance;
        comparer.Compare("\ud800", "\ue000").ShouldBeLessThan(0);
        comparer.Compare("\ud7ff", "\ud800").ShouldBeLessThan(0);
        comparer.Compare("\udfff", "😀").ShouldBeLessThan(0);
        comparer.Compare("a\ud83d", "a\ud83d\ude00").ShouldBeLessThan(0);
        comparer.Compare("a\ud83dx", "a\ud83d\ude00").ShouldBeLessThan(0);
    }

    [Fact]
    public void Compare_EqualAndNull()
    {
        var comparer = LogicalKeyComparer.Instance;
        comparer.Compare("a/b", new string("a/b".AsSpan())).ShouldBe(0);
        comparer.Compare(null, null).ShouldBe(0);
        comparer.Compare(null, "a").ShouldBeLessThan(0);
        comparer.Compare("a", null).ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Compare_MatchesComponentListComparisonByCodePoint_Property()
    {
        var keys = JsonGenerators.TextWithLoneSurrogates.Select(s => s.Replace("\"", "/", StringComparison.Ordinal));
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(2000),
            Prop.ForAll(keys.Zip(keys).ToArbitrary(), pair =>
            {
                var (x, y) = pair;
                Math.Sign(LogicalKeyComparer.Instance.Compare(x, y)).ShouldBe(Reference(x, y), $"{Escape(x)} vs {Escape(y)}");
                Math.Sign(LogicalKeyComparer.Instance.Compare(x + "/" + y, y)).ShouldBe(Reference(x + "/" + y, y));
            }));
    }

    /// <summary>quilt3's rule written out literally: split on '/', compare components by code point lists.</summary>
    private static int Reference(string x, string y)
    {
        var a = x.Split('/');
        var b = y.Split('/');
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var order = CompareCodePoints(CodePoints(a[i]), CodePoints(b[i]));
            if (order != 0)
            {
                return order;
            }
        }

        return Math.Sign(a.Length - b.Length);
    }

    private static int CompareCodePoints(int[] a, int[] b)
    {
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (a[i] != b[i])
            {
                return Math.Sign(a[i] - b[i]);
            }
        }

        return Math.Sign(a.Length - b.Length);
    }

    private static int[] CodePoints(string s)
    {
        var result = new List<int>();
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                result.Add(char.ConvertToUtf32(s[i], s[i + 1]));
                i++;
            }
            else
            {
                result.Add(s[i]);
            }
        }

        return [.. result];
    }

    private static string Escape(string s)
    {
        var builder = new StringBuilder();
        foreach (var c in s)
        {
            builder.Append(c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:x4}");
        }

        return builder.ToString();
    }
}
