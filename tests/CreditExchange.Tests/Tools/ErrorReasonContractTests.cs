using System.Text.RegularExpressions;
using CreditExchange.Domain.Errors;
using Google.Protobuf.Reflection;
using Contract = CreditExchange.Contracts.Errors.V1;

namespace CreditExchange.Tests.Tools;

/// <summary>The hub sends only the contract's reasons: the domain mirror matches the proto, and no reason is written by hand.</summary>
public sealed partial class ErrorReasonContractTests
{
    private const string Prefix = "ERROR_REASON_";

    [Fact]
    public void DomainMirror_EveryValue_MatchesTheContractByNameAndNumber()
    {
        var contract = Contract.ErrorsReflection.Descriptor.FindTypeByName<EnumDescriptor>("ErrorReason").Values;

        Assert.Equal(contract.Count, Enum.GetValues<ErrorReason>().Length);
        foreach (var value in contract)
        {
            Assert.True(Enum.IsDefined((ErrorReason)value.Number), $"{value.Name} = {value.Number} has no domain mirror");
            Assert.Equal(value.Name[Prefix.Length..], ErrorReasons.WireName((ErrorReason)value.Number));
        }
    }

    [Fact]
    public void HubSource_ErrorInfoAndReasonLiterals_OnlyThroughTheEnum()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var wireNames = Enum.GetValues<ErrorReason>().Select(ErrorReasons.WireName).ToHashSet(StringComparer.Ordinal);
        var offences = new List<string>();
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains("Migrations", StringComparison.Ordinal)))
        {
            var code = string.Join('\n', File.ReadLines(file).Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)));
            var name = Path.GetRelativePath(src, file);
            if (code.Contains("new ErrorInfo", StringComparison.Ordinal) && !name.EndsWith("RpcErrors.cs", StringComparison.Ordinal))
            {
                offences.Add($"{name}: builds an ErrorInfo (use RpcErrors.Info(ErrorReason))");
            }

            offences.AddRange(Literal().Matches(code).Select(m => m.Groups[1].Value).Where(wireNames.Contains).Select(l => $"{name}: \"{l}\" written by hand"));
        }

        Assert.Empty(offences);
    }

    [Fact]
    public void FieldViolationReasons_DomainMirrorAndWireNames_MatchTheContract()
    {
        const string prefix = "FIELD_VIOLATION_REASON_";
        var contract = Contract.ErrorsReflection.Descriptor.FindTypeByName<EnumDescriptor>("FieldViolationReason").Values;

        Assert.True(contract.Count > 30);
        Assert.Equal(contract.Count, Enum.GetValues<FieldViolationReason>().Length);
        foreach (var value in contract.Where(v => v.Number != 0))
        {
            Assert.True(Enum.IsDefined((FieldViolationReason)value.Number), $"{value.Name} = {value.Number} has no domain mirror");
            Assert.Equal(value.Name[prefix.Length..].ToLowerInvariant(), FieldViolationReasons.WireName((FieldViolationReason)value.Number));
        }

        // The identifier rules' reasons are the contract's too.
        var wire = Enum.GetValues<FieldViolationReason>().Where(r => r != FieldViolationReason.Unspecified).Select(FieldViolationReasons.WireName).ToHashSet(StringComparer.Ordinal);
        var identifierReasons = typeof(CreditExchange.Domain.Identifiers.IdentifierErrorReasons).GetFields().Select(f => (string)f.GetValue(null)!).ToList();
        Assert.NotEmpty(identifierReasons);
        Assert.All(identifierReasons, r => Assert.Contains(r, wire));
    }

    [Fact]
    public void HubSource_FieldViolationReasons_OnlyThroughTheEnum()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var offences = new List<string>();
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var code = File.ReadAllText(file);
            offences.AddRange(ViolationLiteral().Matches(code).Select(m => $"{Path.GetRelativePath(src, file)}: reason \"{m.Groups[1].Value}\" written by hand"));
        }

        Assert.Empty(offences);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CreditExchange.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root was not found above the test binaries.");
    }

    [GeneratedRegex("\"([A-Z][A-Z_]+)\"")]
    private static partial Regex Literal();

    // A FieldViolation built with a string literal as its reason (the last argument).
    [GeneratedRegex(@"FieldViolation\((?:[^;]|\n)*?,\s*""([a-z][a-z0-9_.]*)""\s*\)")]
    private static partial Regex ViolationLiteral();
}
