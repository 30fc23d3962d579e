namespace Quilt.Testing;

/// <summary>Reads what test fakes need of an AWS Signature V4: who signed.</summary>
public static class SigV4
{
    /// <summary>The access key of a SigV4 <c>Authorization</c> header (<c>… Credential=KEY/date/region/s3/aws4_request, …</c>).</summary>
    public static string? AccessKey(string authorization)
    {
        const string marker = "Credential=";
        var start = authorization.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += marker.Length;
        var end = authorization.IndexOf('/', start);
        return end > start ? authorization[start..end] : null;
    }
}
