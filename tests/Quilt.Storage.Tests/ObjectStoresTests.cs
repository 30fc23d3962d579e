namespace Quilt.Storage.Tests;

public sealed class ObjectStoresTests
{
    [Fact]
    public void For_LocalForms_ReturnTheSharedLocalStore()
    {
        ObjectStores.For(StorageLocation.Parse("file:///tmp")).ShouldBeSameAs(ObjectStores.Local);
        ObjectStores.For(StorageLocation.Parse("relative/dir")).ShouldBeSameAs(ObjectStores.Local);
        ObjectStores.For(StorageLocation.Parse("samples")).ShouldBeSameAs(ObjectStores.Local);
        ObjectStores.Local.ShouldBeOfType<LocalObjectStore>();
    }

    [Fact]
    public void For_S3WithOptions_SharesOneStorePerConfiguration()
    {
        var options = new S3StoreOptions { ServiceUrl = "http://127.0.0.1:1", Region = "eu-west-1", AccessKeyId = "a", SecretAccessKey = "b" };

        var first = ObjectStores.For(StorageLocation.Parse("s3://bucket/a"), options);
        var second = ObjectStores.For(StorageLocation.S3("other", "b"), options with { });
        var different = ObjectStores.For(StorageLocation.Parse("s3://bucket/a"), options with { MaxConcurrency = 8 });

        first.ShouldBeOfType<S3ObjectStore>();
        second.ShouldBeSameAs(first);
        different.ShouldNotBeSameAs(first);
        ((S3ObjectStore)first).Options.Region.ShouldBe("eu-west-1");
        first.Scheme.ShouldBe("s3");
    }

    [Fact]
    public void For_Null_Throws()
    {
        var store = ObjectStores.For(StorageLocation.Parse("s3://b-1/x/"), new S3StoreOptions { ServiceUrl = "http://127.0.0.1:2", AccessKeyId = "a", SecretAccessKey = "b" });

        store.Scheme.ShouldBe("s3");
        Should.Throw<ArgumentNullException>(() => ObjectStores.For(null!));
    }
}
