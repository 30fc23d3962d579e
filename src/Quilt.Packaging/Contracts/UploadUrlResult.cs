namespace Quilt.Packaging.Contracts;

/// <summary>A presigned PUT URL so a client can upload a file itself, then package it.</summary>
/// <param name="Uri">The object's <c>s3://</c> URI, to pass to <c>package_create</c> afterwards.</param>
/// <param name="UploadUrl">The presigned URL (HTTP PUT, body = the file).</param>
/// <param name="ExpiresAt">When the URL stops working.</param>
/// <param name="Method">Always <c>PUT</c>.</param>
public sealed record UploadUrlResult(string Uri, string UploadUrl, DateTimeOffset ExpiresAt, string Method);
