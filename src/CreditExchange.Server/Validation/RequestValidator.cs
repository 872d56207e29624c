using CreditExchange.Contracts;
using CreditExchange.Domain.Errors;
using FieldViolation = CreditExchange.Domain.Errors.FieldViolation;
using Google.Protobuf;
using System.Reflection;
using Google.Protobuf.Reflection;
using ProtoValidate;

namespace CreditExchange.Server.Validation;

/// <summary>
/// One entry point for request validation: the contract's protovalidate rules first, then the
/// checks CEL cannot express (check characters, real dates, dated region tables), which run only
/// on fields whose shape already passed.
/// </summary>
public sealed class RequestValidator
{
    private readonly Validator _contract;
    private readonly StandardRuleCheck _standard = new();
    private readonly RecordRules _rules;

    public RequestValidator(RecordRules rules)
    {
        _rules = rules;
        // No file descriptors for the CEL environment: protovalidate-net hands them to its CEL interpreter only to
        // resolve enum and message type names in expressions, and the interpreter scans every message and enum of
        // every file it holds on each global call or member select of each rule, on every evaluation (issue 14: 92% of
        // ingest CPU in CelVisitor.GetEnumDescriptor). The contract's rules name no type (standard rules only, no
        // custom CEL and no predefined-rule extensions), so the well-known types the interpreter always holds are
        // enough (and TrimCelTypeLookups empties even that walk). The evaluators are still built once per message
        // type, here, from the messages' own descriptors.
        _contract = new Validator(new ValidatorOptions
        {
            PreLoadDescriptors = false,
            DisableLazy = false,
            FileDescriptors = [],
        });
        CelTypeLookupsTrimmed = TrimCelTypeLookups(_contract);
        foreach (var message in HubContract.Files.SelectMany(f => f.MessageTypes).SelectMany(WithNested))
        {
            if (message.Parser is { } parser)
            {
                _contract.Validate(parser.ParseFrom(ByteString.Empty), false);
            }
        }
    }

    /// <summary>Whether <see cref="TrimCelTypeLookups"/> applied (false only if a ProtoValidate/Cel update moved its parts).</summary>
    public bool CelTypeLookupsTrimmed { get; }

    /// <summary>
    /// Empties the file list of the validator's CEL interpreter (Cel 0.3.3, ProtoValidate 1.0.1), which then holds the
    /// well-known types only for nothing: its GetEnumDescriptor still walks every message and enum of those ten files
    /// (a Union into a new list) on each global call and member select of every rule's expression, at each
    /// evaluation; that walk was still a quarter of ingest CPU with the contract files left out. The standard rules
    /// name no enum or message type (they compare enum numbers), so nothing is looked up by name. Reflection on
    /// private parts of a pinned package version: when they are not found the validator is left as built (correct,
    /// slower), and a test fails so that an upgrade notices.
    /// </summary>
    private static bool TrimCelTypeLookups(Validator validator)
    {
        const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
        var builder = typeof(Validator).GetProperty("EvaluatorBuilder", Instance)?.GetValue(validator);
        var environment = builder?.GetType().GetProperty("CelEnvironment", Instance)?.GetValue(builder);
        var visitor = environment?.GetType().GetProperty("CelVisitor", Instance)?.GetValue(environment);
        var files = visitor?.GetType().GetField("<FileDescriptors>k__BackingField", Instance);
        if (visitor is null || files is null || !files.FieldType.IsAssignableFrom(typeof(FileDescriptor[])))
        {
            return false;
        }

        files.SetValue(visitor, Array.Empty<FileDescriptor>());
        return true;
    }

    private static IEnumerable<MessageDescriptor> WithNested(MessageDescriptor message) =>
        message.NestedTypes.SelectMany(WithNested).Prepend(message);

    /// <summary>
    /// Most field violations listed in one error: the BadRequest detail travels in the response
    /// trailers, which clients cap (64 KB by default in .NET), so a 10,000-item list of bad keys
    /// must not list them all.
    /// </summary>
    public const int MaxReportedViolations = 100;

    /// <summary>Every field violation of <paramref name="message"/>, judged on <paramref name="today"/> (the call's date).</summary>
    public IReadOnlyList<FieldViolation> Validate(IMessage message, DateOnly today, string prefix = "")
    {
        var violations = new List<FieldViolation>();
        // ProtoValidate names the violations; the native check of the same rules only spares it the requests that obey them.
        foreach (var v in _standard.Passes(message) ? [] : _contract.Validate(message, false).Violations)
        {
            var path = v.Field is null ? "" : v.Field.GetPath();
            violations.Add(new FieldViolation(Join(prefix, path), v.Message, v.RuleId));
        }

        var shapeRefused = violations.Select(v => v.Field).ToHashSet(StringComparer.Ordinal);
        var nul = new List<FieldViolation>();
        EveryField.Check(message, prefix, nul);
        violations.AddRange(nul.Where(v => !shapeRefused.Contains(v.Field)));

        var refused = violations.Select(v => v.Field).ToHashSet(StringComparer.Ordinal);
        _rules.Check(message, new RuleContext(prefix, today, refused, violations));
        return violations;
    }

    /// <summary>Throws INVALID_ARGUMENT with every field violation when the message is invalid (a call's request).</summary>
    public void EnsureValid(IMessage message, DateOnly today)
    {
        if (Refusal(message, today) is { } refusal)
        {
            throw refusal;
        }
    }

    /// <summary>
    /// The refusal of an invalid message — INVALID_ARGUMENT, reason INVALID_REQUEST, with its field violations (the
    /// first <see cref="MaxReportedViolations"/>) — or null when it is valid. A call's request and a stream's item get
    /// the same refusal for the same content.
    /// </summary>
    public DomainException? Refusal(IMessage message, DateOnly today)
    {
        var violations = Validate(message, today);
        return violations.Count switch
        {
            0 => null,
            > MaxReportedViolations => new DomainException(
                ErrorKind.InvalidArgument,
                ErrorReason.InvalidRequest,
                $"Invalid request: {violations.Count} fields are invalid; the BadRequest detail lists the first {MaxReportedViolations}.",
                violations.Take(MaxReportedViolations).ToList()),
            _ => DomainException.InvalidArgument(ErrorReason.InvalidRequest, violations),
        };
    }

    internal static string Join(string prefix, string path) =>
        prefix.Length == 0 ? path : path.Length == 0 ? prefix : $"{prefix}.{path}";
}

/// <summary>Where custom checks report: field paths are relative to <see cref="Prefix"/>; dates are judged on <see cref="Today"/>.</summary>
public sealed class RuleContext(string prefix, DateOnly today, IReadOnlySet<string> refused, List<FieldViolation> violations)
{
    public string Prefix => prefix;

    /// <summary>The call's Beijing date.</summary>
    public DateOnly Today => today;

    /// <summary>Runs <paramref name="check"/> on a field unless the contract rules already refused it.</summary>
    public void Field(string path, Func<FieldViolation?> check)
    {
        var full = RequestValidator.Join(prefix, path);
        if (refused.Contains(full))
        {
            return;
        }

        if (check() is { } violation)
        {
            violations.Add(violation with { Field = full });
        }
    }
}
