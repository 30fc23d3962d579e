namespace Quilt.Packaging.Contracts;

/// <summary>The outcome of verifying a revision: manifest hash, pointers and every entry's bytes.</summary>
/// <param name="PackageName">Package name.</param>
/// <param name="TopHash">The revision verified.</param>
/// <param name="IsValid">True when everything matched.</param>
/// <param name="EntriesChecked">Entries whose bytes were checked.</param>
/// <param name="Problems">What did not match, one line each.</param>
public sealed record PackageVerifyResult(string PackageName, string TopHash, bool IsValid, long EntriesChecked, IReadOnlyList<string> Problems);
