namespace CreditExchange.Server.Settings;

/// <summary>What the settings table shows as a default when the value itself is not fixed (e.g. it depends on the machine).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingDefaultAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}
