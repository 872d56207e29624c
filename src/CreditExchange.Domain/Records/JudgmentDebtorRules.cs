namespace CreditExchange.Domain.Records;

/// <summary>What the hub keeps of a judgment-debtor listing besides its content: the period by the court's rule, and its removal.</summary>
/// <param name="ListingLastDay">Last day of the listing period by art. 2; <see cref="PeriodOfEffect.Indefinite"/> when it has no fixed period.</param>
/// <param name="RemovedOn">The day the court removed the listing; null while listed.</param>
public sealed record ListingFacts(DateOnly ListingLastDay, DateOnly? RemovedOn)
{
    public bool HasFixedPeriod => ListingLastDay != PeriodOfEffect.Indefinite;
}

/// <summary>
/// The court's own rule for a listing of dishonest judgment debtors (失信被执行人), 最高人民法院关于公布
/// 失信被执行人名单信息的若干规定 (法释〔2017〕7号), in place of the disclosure policy and the statutory
/// sanction periods: the listing is in force and published from its decision date for its listing
/// period, and until the court removes it.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Art. 2: a debtor listed for a conduct of art. 1 (二)–(六) is listed for two years, which the
/// court may extend by one to three years; the court may remove the listing early when the debtor
/// performs or corrects the conduct. A debtor listed only for (一) (refusing to perform despite the
/// ability to) has no fixed period: the listing lasts until it is removed.</item>
/// <item>Art. 10: the court removes a listing without a fixed period on the grounds (一)–(七); a
/// listing with a fixed period is removed when that period ends ("有纳入期限的，不适用前款规定").</item>
/// </list>
/// The listing period is the record's period of effect (<see cref="RecordStanding"/> decides from
/// it like from any other), its end the end of publication. Credit repair under the NDRC measures
/// does not apply: the court removes the listing instead.
/// </remarks>
public static class JudgmentDebtorRules
{
    /// <summary>The rule's id where records name the policy that fixed their periods.</summary>
    public const string RuleVersion = "spc-2017-7";

    public const int ListingYears = 2;

    public const int MaxExtensionYears = 3;

    /// <summary>Whether the conducts give the listing a fixed period: any of art. 1 (二)–(六).</summary>
    public static bool HasFixedPeriod(IEnumerable<DishonestConduct> conducts) =>
        conducts.Any(c => c != DishonestConduct.RefusalDespiteAbility);

    /// <summary>The last day of the listing period by art. 2; <see cref="PeriodOfEffect.Indefinite"/> without a fixed period.</summary>
    public static DateOnly ListingLastDay(DateOnly decisionDate, IEnumerable<DishonestConduct> conducts, int extensionYears) =>
        HasFixedPeriod(conducts) ? decisionDate.AddYears(ListingYears + extensionYears).AddDays(-1) : PeriodOfEffect.Indefinite;

    /// <summary>The last day the listing is in force: its period's, or the day before its removal if earlier.</summary>
    public static DateOnly EffectLastDay(ListingFacts listing) =>
        listing.RemovedOn is { } removed && removed.DayNumber - 1 < listing.ListingLastDay.DayNumber
            ? DateOnly.FromDayNumber(Math.Max(removed.DayNumber - 1, 0))
            : listing.ListingLastDay;

    /// <summary>
    /// The listing's disclosure periods: published from the decision date (so no minimum to serve)
    /// until the day after its last day in force; never ending (9999-12-31) while listed without a fixed period.
    /// </summary>
    public static DisclosurePeriods Periods(DateOnly decisionDate, ListingFacts listing)
    {
        var last = EffectLastDay(listing);
        return new DisclosurePeriods(RuleVersion, PublishedByDefault: true, decisionDate, last == PeriodOfEffect.Indefinite ? DateOnly.MaxValue : last.AddDays(1));
    }

    /// <summary>Why <paramref name="ground"/> cannot remove <paramref name="listing"/> on <paramref name="today"/>; null when it can.</summary>
    public static string? RemovalRefusal(ListingFacts listing, ListingRemovalGround ground, DateOnly today) => ground switch
    {
        ListingRemovalGround.EarlyRemoval when !listing.HasFixedPeriod =>
            "early removal (art. 2) applies to a listing with a fixed period; this one has none: remove it on a ground of art. 10 (一)–(七)",
        ListingRemovalGround.ListingPeriodEnded when !listing.HasFixedPeriod =>
            "this listing has no fixed period to end: remove it on a ground of art. 10 (一)–(七)",
        ListingRemovalGround.ListingPeriodEnded when today <= listing.ListingLastDay =>
            $"the listing period ends on {listing.ListingLastDay:yyyy-MM-dd}; before then, remove it early (art. 2)",
        ListingRemovalGround.EarlyRemoval or ListingRemovalGround.ListingPeriodEnded => null,
        _ when listing.HasFixedPeriod =>
            "the grounds of art. 10 (一)–(七) do not apply to a listing with a fixed period (art. 10, last paragraph): remove it early (art. 2) or when its period ends",
        _ => null,
    };
}
