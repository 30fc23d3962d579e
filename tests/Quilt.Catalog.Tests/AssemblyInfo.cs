using Quilt.Catalog.Tests.TestRegistry;

[assembly: AssemblyFixture(typeof(GraphQLValidator))]
