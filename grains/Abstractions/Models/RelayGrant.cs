namespace Matchmaker.Grains.Models;

/// <summary>The directory's answer to a pair: a reservation, or why there is none.</summary>
[GenerateSerializer, Immutable, Alias("Matchmaker.RelayGrant")]
public sealed record RelayGrant(
    [property: Id(0)] RelayReservation? Reservation,
    [property: Id(1)] RelayRefusal Refusal)
{
    public static RelayGrant Refused(RelayRefusal refusal) => new(null, refusal);

    public static RelayGrant Granted(RelayReservation reservation) => new(reservation, RelayRefusal.None);
}
