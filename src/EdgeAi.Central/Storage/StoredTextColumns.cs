using Dapper;

namespace EdgeAi.Central.Storage;

/// <summary>
/// Dapper's column maps for rows with vocabulary columns: the column <c>state</c> of <see cref="CaseRow"/> is read and written
/// through <c>StateText</c> (the <see cref="StoredText{TEnum}"/> text of <see cref="CaseRow.State"/>), since Dapper would parse
/// an enum column by member name and write an enum parameter as a number. Other columns map by name as usual
/// (<see cref="DefaultTypeMap.MatchNamesWithUnderscores"/>).
/// </summary>
internal static class StoredTextColumns
{
    /// <summary>Registers the maps (once, before the first query; <see cref="CentralStore"/>'s static constructor does it).</summary>
    public static void Register()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        Map<CaseRow>("state", "review_outcome");
        Map<TimelineRow>("state");
        Map<OutboxRow>("kind");
        Map<IncidentRow>("state");
        Map<ReviewCountRow>("outcome");
        Map<CockpitIncident>("state", "case_state");
        Map<CommandRow>("result");
        Map<EvidenceMetaRow>("delivery");
        Map<EvidenceRequestRow>("state");
        Map<EvidenceAccessRow>("action");
    }

    private static void Map<TRow>(params string[] columns)
    {
        var byName = new DefaultTypeMap(typeof(TRow));
        SqlMapper.SetTypeMap(typeof(TRow), new CustomPropertyTypeMap(typeof(TRow),
            (_, column) => byName.GetMember(columns.Contains(column, StringComparer.OrdinalIgnoreCase) ? column + "_text" : column)?.Property!));
    }
}
