namespace EdgeAi.Worker.Recording;

/// <summary>The <c>recording.delivery</c> of event clips (snake_case in the file).</summary>
public enum ClipDelivery
{
    /// <summary><c>on_device</c> (default): the clip stays on the box; Central fetches it with a <c>fetch_evidence</c> command.</summary>
    OnDevice,

    /// <summary><c>blurred</c>: a re-encoded copy with persons blurred is attached through the outbox.</summary>
    Blurred,
}
