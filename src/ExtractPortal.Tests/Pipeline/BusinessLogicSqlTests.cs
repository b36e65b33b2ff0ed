using ExtractPortal.Pipeline.Sql;

namespace ExtractPortal.Tests.Pipeline;

public sealed class BusinessLogicSqlTests
{
    [Fact]
    public void The_embedded_sql_is_the_file_under_Glue_sql_byte_for_byte()
    {
        var onDisk = File.ReadAllText(Path.Combine(GoldenCase.Root, "..", "..", "Glue", "sql", "branch_moving_average.sql"));
        Assert.Equal(onDisk, BusinessLogicSql.Text);
    }

    [Fact]
    public void The_file_defines_the_views_the_hosts_read_in_dependency_order()
    {
        Assert.Equal(["classified_loans", "branch_moving_average", "loan_data_quality"], BusinessLogicSql.Views.Select(v => v.Name));
        Assert.All(BusinessLogicSql.Views, v => Assert.False(v.Body.EndsWith(';')));
    }

    [Fact]
    public void Splitting_keeps_each_body_and_refuses_a_file_without_views()
    {
        var views = BusinessLogicSql.Split("-- header\n-- @view a\nSELECT 1;\n\n-- @view b\n-- why\nSELECT 2 FROM a;\n");
        Assert.Equal([("a", "SELECT 1"), ("b", "-- why\nSELECT 2 FROM a")], views.Select(v => (v.Name, v.Body)));
        Assert.Throws<InvalidOperationException>(() => BusinessLogicSql.Split("SELECT 1"));
    }
}
