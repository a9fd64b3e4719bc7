using System.Reflection;
using Microsoft.ML;

namespace DeskdropML.Tests.Recommending;

/// <summary>ML.NET keeps SchemaShape.Create(DataViewSchema) internal; tests reach it by reflection.</summary>
internal static class SchemaShapes
{
    public static SchemaShape From(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, new[] { typeof(DataViewSchema) })!
            .Invoke(null, new object[] { schema })!;
}
