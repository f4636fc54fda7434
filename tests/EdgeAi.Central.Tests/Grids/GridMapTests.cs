using System.Globalization;
using System.Text;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Grids;
using EdgeAi.Testing;

namespace EdgeAi.Central.Tests.Grids;

public sealed class GridMapTests
{
    private static string Demo => File.ReadAllText(TestPaths.InRepo("config", "grids", "demo-grids.geojson"));

    [Fact]
    public void Locate_DemoGrids_EachDemoCameraInItsGridAndOutsideIsNull()
    {
        var map = GridMap.Parse(Demo);
        Assert.Equal(6, map.Grids.Count);
        Assert.Equal("310101002001001", map.Locate(31.2304, 121.4737)?.Code);   // litter camera
        Assert.Equal("310101002001001", map.Locate(31.2330, 121.4760)?.Code);   // road collapse camera
        Assert.Equal("310101002002002", map.Locate(31.2360, 121.4800)?.Code);   // crowding camera
        Assert.Equal("310101013002003", map.Locate(31.2400, 121.4900)?.Code);   // fishing camera
        Assert.Equal("310101013", map.Locate(31.2400, 121.4900)?.Street);
        Assert.Null(map.Locate(31.30, 121.4737));
        Assert.Null(GridMap.Empty.Locate(31.2304, 121.4737));
        // on the shared border of two grids: the first listed
        Assert.Equal("310101002001001", map.Locate(31.230, 121.478)?.Code);
    }

    [Fact]
    public void Locate_FiveHundredGrids_EveryCentreFoundInItsOwnGrid()
    {
        var map = GridMap.Parse(Synthetic(25, 20, out var centres));
        Assert.Equal(500, map.Grids.Count);
        foreach (var (code, lat, lon) in centres) Assert.Equal(code, map.Locate(lat, lon)?.Code);
    }

    [Theory]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}""", "feature 0: property 'code' is required")]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Point","coordinates":[0,0]}}]}""", "feature 0 (A): geometry must be a Polygon or MultiPolygon, got Point")]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}""", "feature 1: grid code 'A' appears twice")]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}}]}""", "feature 0 (A): the polygon is not valid")]
    [InlineData("""{"type":"Nonsense""", "not a GeoJSON FeatureCollection")]
    public void Parse_BadLayer_ClearError(string geoJson, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => GridMap.Parse(geoJson));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Routing_FirstMatchingRuleThenFallback()
    {
        var map = GridMap.Parse(Demo);
        var routing = new RoutingSettings
        {
            Rules = [new RoutingRule("litter", "310101002001001", null, null, "环卫一所"), new RoutingRule("road_collapse", null, null, null, "市政所"), new RoutingRule(null, null, "310101013", null, "外滩街道")],
            Fallback = "指挥中心",
        };
        Assert.Equal("环卫一所", routing.DepartmentFor("litter", map.Get("310101002001001")));
        Assert.Equal("指挥中心", routing.DepartmentFor("litter", map.Get("310101002002002")));
        Assert.Equal("市政所", routing.DepartmentFor("road_collapse", null));
        Assert.Equal("外滩街道", routing.DepartmentFor("crowding", map.Get("310101013002003")));
        Assert.Equal("指挥中心", routing.DepartmentFor("crowding", null));
    }

    /// <summary>A rows × columns layer of 0.01° squares with codes G0000…; their centres.</summary>
    internal static string Synthetic(int rows, int columns, out List<(string Code, double Lat, double Lon)> centres)
    {
        centres = [];
        var sb = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var (lat0, lon0) = (31.0 + r * 0.01, 121.0 + c * 0.01);
                var code = $"G{r * columns + c:D4}";
                centres.Add((code, lat0 + 0.005, lon0 + 0.005));
                if (r + c > 0) sb.Append(',');
                sb.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"Feature\",\"properties\":{{\"code\":\"{code}\",\"name\":\"网格 {code}\",\"street\":\"S{r / 5:D2}\"}},")
                  .Append(CultureInfo.InvariantCulture, $"\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[[{lon0},{lat0}],[{lon0 + 0.01},{lat0}],[{lon0 + 0.01},{lat0 + 0.01}],[{lon0},{lat0 + 0.01}],[{lon0},{lat0}]]]}}}}");
            }
        }
        return sb.Append("]}").ToString();
    }
}
