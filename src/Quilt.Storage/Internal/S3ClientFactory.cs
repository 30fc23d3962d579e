using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Quilt.Core.Errors;

namespace Quilt.Storage.Internal;

/// <summary>Turns <see cref="S3StoreOptions"/> into an SDK client: endpoint or region, addressing style, credentials, no SDK retries.</summary>
internal static class S3ClientFactory
{
    /// <summary>Refuses options no store can work with (before anything is created).</summary>
    public static void Validate(S3StoreOptions options)
    {
        if (options.MaxConcurrency < 1 || options.MaxRetries < 0 || options.RangedGetConcurrency < 1)
        {
            throw QuiltException.InvalidInput(
                $"Invalid S3 store options: MaxConcurrency={options.MaxConcurrency}, MaxRetries={options.MaxRetries}, RangedGetConcurrency={options.RangedGetConcurrency}.",
                "Use a concurrency of at least 1 and a non-negative retry count.");
        }

        if (options.Credentials is null && string.IsNullOrEmpty(options.AccessKeyId) != string.IsNullOrEmpty(options.SecretAccessKey))
        {
            throw QuiltException.InvalidInput("An access key id was given without its secret key, or the reverse.", "Give both, or neither to use the standard AWS credential chain.");
        }
    }

    /// <summary>
    /// A client sending through <paramref name="http"/>; <paramref name="presignProtocol"/> is the scheme presigned URLs
    /// must use (http for a plain-http endpoint).
    /// </summary>
    public static AmazonS3Client Create(S3StoreOptions options, StoreHttpClientFactory http, out Protocol presignProtocol)
    {
        var region = string.IsNullOrWhiteSpace(options.Region) ? "us-east-1" : options.Region;
        var config = new AmazonS3Config
        {
            MaxErrorRetry = 0,
            Timeout = options.RequestTimeout,
            HttpClientFactory = http,
            MaxConnectionsPerServer = options.MaxConcurrency,
            IgnoreConfiguredEndpointUrls = true,
        };
        if (!string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            if (!Uri.TryCreate(options.ServiceUrl, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            {
                throw QuiltException.InvalidInput($"The S3 endpoint '{options.ServiceUrl}' is not an http(s) URL.", "Set AWS_ENDPOINT_URL_S3 to a URL such as http://127.0.0.1:9000.");
            }

            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = region;
            config.ForcePathStyle = options.ForcePathStyle ?? true;
            presignProtocol = endpoint.Scheme == Uri.UriSchemeHttp ? Protocol.HTTP : Protocol.HTTPS;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
            config.ForcePathStyle = options.ForcePathStyle ?? false;
            presignProtocol = Protocol.HTTPS;
        }

        AWSCredentials? credentials = options.Credentials;
        if (credentials is null && !string.IsNullOrEmpty(options.AccessKeyId))
        {
            credentials = string.IsNullOrEmpty(options.SessionToken)
                ? new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey)
                : new SessionAWSCredentials(options.AccessKeyId, options.SecretAccessKey, options.SessionToken);
        }

        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }
}
