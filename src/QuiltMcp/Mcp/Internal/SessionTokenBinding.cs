using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace QuiltMcp.Mcp.Internal;

/// <summary>
/// Binds each HTTP session to the bearer token that opened it, through the SDK's own binding: the SDK remembers the
/// user id claim of the request that created a session and refuses (403) every later request of the session whose user
/// differs. This scheme makes a request with <c>Authorization: Bearer T</c> the user whose id is a SHA-256 digest of
/// T (never the token itself), and a request without a token anonymous; so another token, or none, on a session opened
/// with a token is refused, and a token on a session opened without one too. It checks nothing against the catalog:
/// the catalog judges the token when a tool uses it.
/// </summary>
internal sealed class SessionTokenBinding(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The authentication scheme's name.</summary>
    public const string SchemeName = "QuiltSessionToken";

    /// <summary>The bearer token of <paramref name="request"/>, or null.</summary>
    public static string? BearerToken(HttpRequest? request)
    {
        var header = request?.Headers.Authorization.ToString() ?? "";
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 ? header[7..].Trim() : null;
    }

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerToken(Request) is not { Length: > 0 } token)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var digest = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, digest)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
