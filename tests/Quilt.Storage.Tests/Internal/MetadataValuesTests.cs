using Quilt.Storage.Internal;

namespace Quilt.Storage.Tests.Internal;

public sealed class MetadataValuesTests
{
    [Theory]
    [InlineData("plain ascii", "plain ascii")]
    [InlineData("=?UTF-8?B?zpXOu867zrfOvc65zrrOrA==?=", "Ελληνικά")]
    [InlineData("=?utf-8?b?zpXOu867zrfOvc65zrrOrA==?=", "Ελληνικά")]
    [InlineData("=?UTF-8?Q?caf=C3=A9_au_lait?=", "café au lait")]
    [InlineData("=?UTF-8?B?w7w=?= =?UTF-8?B?w7w=?=", "üü")]
    [InlineData("prefix =?UTF-8?B?w7w=?= suffix", "prefix ü suffix")]
    [InlineData("=?ISO-8859-1?Q?=E9t=E9?=", "été")]
    [InlineData("%D0%B4%D0%B0%D0%BD%D0%BD%D1%8B%D0%B5", "данные")]
    [InlineData("100%25 sure", "100%25 sure")]
    [InlineData("50% off", "50% off")]
    [InlineData("%FF%FE", "%FF%FE")]
    [InlineData("%C3%A9 ü", "%C3%A9 ü")]
    [InlineData("=?UTF-8?B?not base64!?=", "=?UTF-8?B?not base64!?=")]
    [InlineData("=?UTF-8?X?abc?=", "=?UTF-8?X?abc?=")]
    [InlineData("=?no-such-charset?B?w7w=?=", "=?no-such-charset?B?w7w=?=")]
    [InlineData("=?UTF-8?B?/w==?=", "=?UTF-8?B?/w==?=")]
    [InlineData("=?UTF-8?Q?bad=Z?=", "=?UTF-8?Q?bad=Z?=")]
    [InlineData("=?UTF-8?B?w7w=", "=?UTF-8?B?w7w=")]
    [InlineData("=?UTF-8", "=?UTF-8")]
    [InlineData("", "")]
    public void Decode_EncodedForms_GiveTheTextOrStayAsSent(string raw, string expected) =>
        MetadataValues.Decode(raw).ShouldBe(expected);
}
