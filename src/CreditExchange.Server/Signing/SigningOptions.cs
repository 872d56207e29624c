using System.ComponentModel;

namespace CreditExchange.Server.Signing;

/// <summary>Agency signatures over write requests, section "Hub:Signatures".</summary>
public sealed class SigningOptions
{
    public const string Section = "Hub:Signatures";

    [Description("Agency ids whose write requests must be signed (\"*\": every agency). An agency not listed may send unsigned requests; a signature it sends is verified all the same. Move agencies here once their systems sign (the SDKs do).")]
    public List<string> RequiredAgencies { get; set; } = [];

    [Description("How far a signature's signed_at may be from the hub's clock, either way, before it is refused as SIGNATURE_INVALID.")]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether <paramref name="agencyId"/> must sign.</summary>
    public bool Requires(string agencyId) => RequiredAgencies.Contains("*") || RequiredAgencies.Contains(agencyId, StringComparer.Ordinal);
}
