using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace EdgeAi.Configuration;

/// <summary>
/// Structural equality of two config values, for hot reload ("did this camera or section change?"). A record's own
/// <c>Equals</c> compares its lists and dictionaries by reference, so two loads of the same file would differ; this
/// compares them by content instead: values (strings, numbers, enums, <see cref="TimeSpan"/>s) with <c>Equals</c>,
/// lists element-wise in order, dictionaries key by key, and any other object (the config records) property by
/// property, public instance properties of its runtime type. Config values are trees; there are no cycles.
/// </summary>
public static class ConfigEquality
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> PropertiesOf = new();

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> hold the same configuration.</summary>
    public static bool Equal(object? a, object? b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a is null || b is null || a.GetType() != b.GetType()) return false;
        var type = a.GetType();
        if (type.IsPrimitive || type.IsEnum || a is string or decimal or TimeSpan or DateTime or DateTimeOffset or DateOnly or TimeOnly or Uri)
            return a.Equals(b);
        if (a is IDictionary da) return DictionariesEqual(da, (IDictionary)b);
        if (a is IEnumerable ea) return SequencesEqual(ea, (IEnumerable)b);
        foreach (var p in PropertiesOf.GetOrAdd(type, Readable))
            if (!Equal(p.GetValue(a), p.GetValue(b))) return false;
        return true;
    }

    private static PropertyInfo[] Readable(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0)];

    private static bool SequencesEqual(IEnumerable a, IEnumerable b)
    {
        var eb = b.GetEnumerator();
        try
        {
            foreach (var item in a)
                if (!eb.MoveNext() || !Equal(item, eb.Current)) return false;
            return !eb.MoveNext();
        }
        finally { (eb as IDisposable)?.Dispose(); }
    }

    private static bool DictionariesEqual(IDictionary a, IDictionary b)
    {
        if (a.Count != b.Count) return false;
        foreach (DictionaryEntry e in a)
            if (!b.Contains(e.Key) || !Equal(e.Value, b[e.Key])) return false;
        return true;
    }
}
