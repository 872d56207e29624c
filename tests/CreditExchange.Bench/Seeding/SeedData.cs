using System.Globalization;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Identifiers;

namespace CreditExchange.Bench.Seeding;

/// <summary>
/// The records of a run, generated from their index alone (nothing to keep in memory but the record ids): record i
/// is about subject i mod <see cref="Subjects"/>, so every subject has about <c>recordsPerSubject</c> records (20 by
/// default, as production spreads them). Even subjects are government bodies (submitted by the court, judicial
/// judgments), odd ones civil servants (submitted by the supervision commission, disciplinary sanctions). Decision
/// dates lie within the last 60 days, so no seeded record is past its disclosure period and the expiry sweep has
/// nothing to do during a run; they and the severities come from a hash of the record's index, so the records of
/// one subject do not share a pattern. Source ids carry a tag of the run, so runs against one database never collide.
/// </summary>
public sealed class SeedData(long records, DateOnly today, string runTag, int recordsPerSubject = 20)
{
    /// <summary>Resident IDs: 14,000 birth dates × 1,000 sequence numbers per division code.</summary>
    private const long BirthDays = 14_000;

    /// <summary>Keeps the due records' numbers and subjects clear of the fresh submissions'.</summary>
    private const long DueOffset = 50_000_000;

    /// <summary>Keeps the hot subject and its records clear of the fresh submissions' and the due records'.</summary>
    private const long HotOffset = 90_000_000;

    /// <summary>Keeps the never-submitted subjects clear of all others (below 10^8, where credit code numbers would wrap).</summary>
    private const long UnseededOffset = 95_000_000;

    public long Records { get; } = records;

    /// <summary>Seeded subjects: records / recordsPerSubject (at least one).</summary>
    public long Subjects { get; } = Math.Max(1, records / Math.Max(1, recordsPerSubject));

    /// <summary>The subject of seeded record <paramref name="record"/>.</summary>
    public long SubjectOf(long record) => record % Subjects;

    /// <summary>
    /// The one subject of the hot_subject scenario: a government body (the court's), neither seeded nor fresh nor due,
    /// about which that scenario copies in thousands of records.
    /// </summary>
    public long HotSubject => FreshSubject(HotOffset);

    /// <summary>Record <paramref name="index"/> of the hot subject, decided within the last 60 days like the seeded ones.</summary>
    public SubmitRecordRequest Hot(long index) => Submission(Records + HotOffset + index, HotSubject);

    public static bool IsGovernmentBody(long subject) => subject % 2 == 0;

    /// <summary>The identifier of subject <paramref name="subject"/>: a unified social credit code or a resident ID.</summary>
    public static string Identifier(long subject) => IsGovernmentBody(subject) ? CreditCode(subject / 2) : ResidentId(subject / 2);

    /// <summary>How a query names subject <paramref name="subject"/>.</summary>
    public static SubjectKey Key(long subject) => IsGovernmentBody(subject)
        ? new SubjectKey { CreditCode = CreditCode(subject / 2) }
        : new SubjectKey { ResidentId = ResidentId(subject / 2) };

    /// <summary>
    /// A subject never seeded (a government body, submitted by the court) for fresh submission number
    /// <paramref name="index"/> of the write scenarios: an even number above every seeded subject, whose credit code
    /// number (half of it) is above every seeded government body's.
    /// </summary>
    public long FreshSubject(long index) => 2 * ((Subjects / 2) + 1 + index);

    /// <summary>
    /// A government body about which nothing is ever submitted, number <paramref name="index"/> (while
    /// index + Subjects / 2 &lt; 5,000,000, so that its credit code number stays below 10^8).
    /// </summary>
    public long Unseeded(long index) => FreshSubject(UnseededOffset + index);

    /// <summary>Fresh submission number <paramref name="index"/>: a new source id about a new subject.</summary>
    public SubmitRecordRequest Fresh(long index) => Submission(Records + index, FreshSubject(index));

    /// <summary>
    /// Due record number <paramref name="index"/> of the expiry scenarios: a fresh submission decided four years ago,
    /// so that its maximum disclosure period (at most 36 months) has ended.
    /// </summary>
    public SubmitRecordRequest Due(long index) =>
        Submission(Records + DueOffset + index, FreshSubject(DueOffset + index), today.AddYears(-4).AddDays(-(int)(index % 300)));

    public static string AgencyOf(long subject) => IsGovernmentBody(subject) ? "court" : "supervision";

    /// <summary>The submission of record <paramref name="record"/> about <paramref name="subject"/>, as its agency would send it.</summary>
    public SubmitRecordRequest Submission(long record, long subject, DateOnly? decided = null)
    {
        var government = IsGovernmentBody(subject);
        var mix = Mix(record);
        var severity = (mix / 60 % 10) switch
        {
            0 => Severity.Minor,
            1 or 2 or 3 => Severity.Serious,
            _ => Severity.General,
        };
        var decision = decided ?? today.AddDays(-(int)(mix % 60) - 1);
        return new SubmitRecordRequest
        {
            SourceRecordId = $"bench-{runTag}-{record.ToString("D10", CultureInfo.InvariantCulture)}",
            Record = new RecordContent
            {
                Subject = government
                    ? new Subject
                    {
                        GovernmentBody = new GovernmentBody { CreditCode = CreditCode(subject / 2), Name = "呼和浩特市某区人民政府" },
                        DivisionCode = "150102",
                    }
                    : new Subject
                    {
                        CivilServant = new CivilServant { ResidentId = ResidentId(subject / 2), Name = "张三", Position = "科长" },
                        DivisionCode = "150102",
                    },
                Category = government ? Category.JudicialJudgment : Category.DisciplinarySanction,
                Severity = severity,
                Domain = RecordDomain.Other,
                DecisionDocumentNumber = government
                    ? $"(2026)内01执{record}号"
                    : $"内纪发〔2026〕{record}号",
                DecidingAuthority = government
                    ? new Authority { Name = "呼和浩特市中级人民法院", CreditCode = "91152201078371135X" }
                    : new Authority { Name = "内蒙古自治区纪委监委", CreditCode = "91152201078382010M" },
                DecisionDate = decision.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Facts = government ? "拒不履行生效判决确定的给付义务。" : "违反工作纪律，造成不良影响。",
                LegalBasis = government ? "《中华人民共和国民事诉讼法》第二百六十六条" : "《中华人民共和国公职人员政务处分法》第三十九条",
                Penalty = government
                    ? new Penalty { Text = "纳入失信记录", Kinds = { PenaltyKind.PublicCriticism } }
                    : new Penalty { Text = "记过处分", Kinds = { PenaltyKind.Warning } },
                Disclosure = government ? Disclosure.Public : Disclosure.SharedOnly,
            },
        };
    }

    /// <summary>A well-mixed hash of a record's index (the finaliser of SplitMix64), for its decision date and severity.</summary>
    private static ulong Mix(long record)
    {
        var z = (ulong)record + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A valid unified social credit code of a government body (机构编制, 机关) in Hohhot, unique per <paramref name="n"/> &lt; 10^8.</summary>
    public static string CreditCode(long n)
    {
        var body = (n % 100_000_000).ToString("D8", CultureInfo.InvariantCulture);
        var first17 = "11150100" + body + UnifiedSocialCreditCode.ComputeOrganizationCodeCheckCharacter(body);
        return first17 + UnifiedSocialCreditCode.ComputeCheckCharacter(first17);
    }

    /// <summary>A valid resident ID of someone born 1960–1998 in Hohhot's Xincheng district, unique per <paramref name="n"/> &lt; 1.4·10^7.</summary>
    public static string ResidentId(long n)
    {
        var birth = new DateOnly(1960, 1, 1).AddDays((int)(n % BirthDays));
        var sequence = (n / BirthDays % 1000).ToString("D3", CultureInfo.InvariantCulture);
        var first17 = "150102" + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + sequence;
        return first17 + ResidentIdNumber.ComputeCheckCharacter(first17);
    }
}
