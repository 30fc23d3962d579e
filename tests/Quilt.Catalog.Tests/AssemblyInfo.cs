using Quilt.Catalog.Tests.TestRegistry;
using Quilt.Testing;

[assembly: AssemblyFixture(typeof(GraphQLValidator))]
[assembly: AssemblyFixture(typeof(MotoFixture))]
