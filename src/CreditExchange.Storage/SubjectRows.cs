namespace CreditExchange.Storage;

/// <summary>How the records about a subject and those naming it as a responsible person join: a record that is both counts once, as about it.</summary>
public static class SubjectRows
{
    /// <summary>
    /// The rows of <paramref name="naming"/> whose record is not among <paramref name="about"/>, with sets the size of
    /// <paramref name="naming"/> (a subject may have thousands of records about it and few naming it).
    /// </summary>
    public static IEnumerable<T> NamingOnly<T>(IEnumerable<T> naming, IEnumerable<T> about, Func<T, Guid> id)
    {
        var named = naming.Select(id).ToHashSet();
        var both = about.Select(id).Where(named.Contains).ToHashSet();
        return naming.Where(r => !both.Contains(id(r)));
    }
}
