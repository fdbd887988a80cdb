using System.Reflection;
using Matchmaker.Protocol.Control;
using Matchmaker.Protocol.Stun;
using Matchmaker.Protocol.Stun.Attributes;

namespace Matchmaker.Tests.Protocol;

/// <summary>The gateway's error table survives ERROR-CODE encoding and maps back to the same error.</summary>
public sealed class ProtocolErrorsTests
{
    public static TheoryData<string> Errors()
    {
        var data = new TheoryData<string>();
        foreach (var field in PublicErrors())
        {
            data.Add(field.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void Every_error_survives_the_wire_and_maps_back_to_itself(string name)
    {
        var error = (ProtocolError)typeof(ProtocolErrors).GetField(name)!.GetValue(null)!;
        var bytes = StunTestMessages.Build(new StunMessageType(StunMethods.Join, StunClass.ErrorResponse), StunTestMessages.TransactionId, (ref StunMessageWriter writer) =>
            writer.AppendErrorCode(error.Code, error.Slug));

        Assert.True(StunTestMessages.Parse(bytes).TryGetErrorCode(out var code, out var reason));
        Assert.Same(error, ProtocolErrors.FromWire(code, reason));
    }

    [Fact]
    public void Codes_and_slugs_are_unique_and_slugs_are_lower_case_words()
    {
        var errors = PublicErrors().Select(f => (ProtocolError)f.GetValue(null)!).ToList();

        Assert.Equal(errors.Count, errors.Select(e => e.Code).Distinct().Count());
        Assert.Equal(errors.Count, errors.Select(e => e.Slug).Distinct().Count());
        Assert.All(errors, e => Assert.InRange(e.Code, 300, 699));
        Assert.All(errors, e => Assert.Matches("^[a-z]+(-[a-z]+)*$", e.Slug));
    }

    [Theory]
    [InlineData(499, "custom-thing", "custom-thing")]
    [InlineData(599, "", "error-599")]
    [InlineData(350, "  ", "error-350")]
    public void Unknown_codes_keep_their_reason_as_slug(int code, string reason, string slug)
    {
        var error = ProtocolErrors.FromWire(code, reason);

        Assert.Equal(code, error.Code);
        Assert.Equal(slug, error.Slug);
    }

    private static IEnumerable<FieldInfo> PublicErrors() =>
        typeof(ProtocolErrors).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(ProtocolError));
}
