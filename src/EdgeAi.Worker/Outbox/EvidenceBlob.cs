using System.Security.Cryptography;
using EdgeAi.Models.Events;

namespace EdgeAi.Worker.Outbox;

/// <summary>An evidence blob to store with its event; <see cref="Ref"/> is what the event carries in <see cref="EdgeEvent.Evidence"/>.</summary>
internal sealed record EvidenceBlob(EvidenceRef Ref, ReadOnlyMemory<byte> Data)
{
    /// <summary>A blob with its reference computed (SHA-256, size).</summary>
    public static EvidenceBlob Create(string id, ReadOnlyMemory<byte> data, string contentType = "image/jpeg", string kind = "snapshot") =>
        new(new EvidenceRef(id, Convert.ToHexStringLower(SHA256.HashData(data.Span)), data.Length, contentType, kind), data);
}
