using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace CreditExchange.Tests.Feed;

/// <summary>Every string of a message, at any depth (from its descriptor, so a new field is walked too).</summary>
internal static class MessageStrings
{
    public static IEnumerable<string> Of(IMessage message)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            switch (field.FieldType)
            {
                case FieldType.String when field.IsRepeated:
                    foreach (var s in (IEnumerable<string>)value)
                    {
                        yield return s;
                    }

                    break;
                case FieldType.String:
                    yield return (string)value;
                    break;
                case FieldType.Message when field.IsRepeated:
                    foreach (var child in ((System.Collections.IEnumerable)value).OfType<IMessage>().SelectMany(Of))
                    {
                        yield return child;
                    }

                    break;
                case FieldType.Message when value is IMessage child:
                    foreach (var s in Of(child))
                    {
                        yield return s;
                    }

                    break;
            }
        }
    }
}
