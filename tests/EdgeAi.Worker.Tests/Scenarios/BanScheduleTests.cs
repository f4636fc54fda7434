using EdgeAi.Worker.Scenarios;

namespace EdgeAi.Worker.Tests.Scenarios;

public sealed class BanScheduleTests
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);

    private static BanSchedule Parse(BanScheduleConfig config)
    {
        var errors = new List<string>();
        var schedule = BanSchedule.Parse(config, "s", errors);
        Assert.Empty(errors);
        return schedule!;
    }

    private static DateTimeOffset Local(int month, int day, int hour, int minute, int second = 0) => new(2026, month, day, hour, minute, second, Cst);

    [Fact]
    public void TimeZone_AsiaShanghai_ResolvesFromTzdataWithInvariantGlobalization()
    {
        Assert.True(AppContext.TryGetSwitch("System.Globalization.Invariant", out var invariant) && invariant);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        Assert.Equal(TimeSpan.FromHours(8), zone.GetUtcOffset(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(TimeSpan.FromHours(8), Parse(new BanScheduleConfig()).TimeZone.BaseUtcOffset);
    }

    [Theory]
    [InlineData(5, 59, 59, false)]
    [InlineData(6, 0, 0, true)]
    [InlineData(21, 59, 59, true)]
    [InlineData(22, 0, 0, false)]
    public void IsActive_DailyHoursBoundaries_StartInclusiveEndExclusive(int h, int m, int s, bool expected)
    {
        var schedule = Parse(new BanScheduleConfig { DailyHours = ["06:00-22:00"] });
        Assert.Equal(expected, schedule.IsActive(Local(4, 1, h, m, s)));
    }

    [Theory]
    [InlineData(2, 28, 23, 59, false)]
    [InlineData(3, 1, 0, 0, true)]
    [InlineData(6, 30, 23, 59, true)]
    [InlineData(7, 1, 0, 0, false)]
    public void IsActive_DateRangeBoundaries_BothDaysInclusive(int month, int day, int h, int m, bool expected)
    {
        var schedule = Parse(new BanScheduleConfig { DateRanges = ["03-01..06-30"] });
        Assert.Equal(expected, schedule.IsActive(Local(month, day, h, m)));
    }

    [Fact]
    public void IsActive_UtcInput_ConvertedToLocalTime()
    {
        var schedule = Parse(new BanScheduleConfig { DailyHours = ["06:00-22:00"] });

        // 22:30 UTC on 31 March is 06:30 on 1 April in Shanghai: inside; 14:30 UTC is 22:30 local: outside.
        Assert.True(schedule.IsActive(new DateTimeOffset(2026, 3, 31, 22, 30, 0, TimeSpan.Zero)));
        Assert.False(schedule.IsActive(new DateTimeOffset(2026, 4, 1, 14, 30, 0, TimeSpan.Zero)));
        // 28 Feb 16:00 UTC is 1 March 00:00 local: the season has begun; one second earlier it has not.
        var season = Parse(new BanScheduleConfig { DateRanges = ["03-01..06-30"] });
        Assert.True(season.IsActive(new DateTimeOffset(2026, 2, 28, 16, 0, 0, TimeSpan.Zero)));
        Assert.False(season.IsActive(new DateTimeOffset(2026, 2, 28, 15, 59, 59, TimeSpan.Zero)));
    }

    [Fact]
    public void IsActive_RangesWrappingNewYearAndMidnight()
    {
        var schedule = Parse(new BanScheduleConfig { DateRanges = ["12-01..02-28"], DailyHours = ["22:00-06:00"] });

        Assert.True(schedule.IsActive(Local(12, 31, 23, 0)));
        Assert.True(schedule.IsActive(Local(1, 15, 5, 59)));
        Assert.False(schedule.IsActive(Local(1, 15, 6, 0)));
        Assert.False(schedule.IsActive(Local(3, 1, 23, 0)));
        Assert.False(schedule.IsActive(Local(11, 30, 23, 0)));
    }

    [Fact]
    public void IsActive_EmptyListsAndFullDay_AlwaysActive()
    {
        var always = Parse(new BanScheduleConfig { DateRanges = [], DailyHours = [] });
        var fullDay = Parse(new BanScheduleConfig { DateRanges = [], DailyHours = ["00:00-24:00"] });

        Assert.True(always.IsActive(Local(8, 8, 3, 0)));
        Assert.True(fullDay.IsActive(Local(8, 8, 23, 59, 59)));
        Assert.True(fullDay.IsActive(Local(8, 8, 0, 0)));
    }

    [Fact]
    public void IsActive_SeveralWindows_AnyMatches()
    {
        var schedule = Parse(new BanScheduleConfig { DateRanges = ["03-01..03-31", "05-01..05-31"], DailyHours = ["05:00-08:00", "17:00-20:00"] });

        Assert.True(schedule.IsActive(Local(5, 10, 18, 0)));
        Assert.False(schedule.IsActive(Local(4, 10, 18, 0)));
        Assert.False(schedule.IsActive(Local(3, 10, 12, 0)));
    }

    [Theory]
    [InlineData("03-01-06-30")]
    [InlineData("13-01..06-30")]
    [InlineData("02-30..03-01")]
    [InlineData("3-1..6-30")]
    [InlineData("")]
    public void Parse_BadDateRange_ReportsIndexedPath(string range)
    {
        var errors = new List<string>();
        Assert.Null(BanSchedule.Parse(new BanScheduleConfig { DateRanges = ["03-01..06-30", range] }, "x.banSchedule", errors));
        Assert.StartsWith("x.banSchedule.dateRanges[1]: ", Assert.Single(errors));
    }

    [Theory]
    [InlineData("6:00-22:00")]
    [InlineData("06:00-25:00")]
    [InlineData("06:00-06:00")]
    [InlineData("24:00-06:00")]
    [InlineData("06:60-07:00")]
    [InlineData("06:00")]
    public void Parse_BadDailyHours_ReportsIndexedPath(string hours)
    {
        var errors = new List<string>();
        Assert.Null(BanSchedule.Parse(new BanScheduleConfig { DailyHours = [hours] }, "x.banSchedule", errors));
        Assert.StartsWith("x.banSchedule.dailyHours[0]: ", Assert.Single(errors));
    }

    [Fact]
    public void Parse_UnknownTimeZone_Reported()
    {
        var errors = new List<string>();
        Assert.Null(BanSchedule.Parse(new BanScheduleConfig { TimeZone = "Mars/Olympus" }, "x", errors));
        Assert.StartsWith("x.timeZone: unknown time zone 'Mars/Olympus'", Assert.Single(errors));
    }

    [Fact]
    public void Parse_Feb29_IsValid()
    {
        Assert.True(Parse(new BanScheduleConfig { DateRanges = ["02-29..02-29"] }).IsActive(new DateTimeOffset(2028, 2, 29, 12, 0, 0, Cst)));
    }
}
