namespace EdgeAi.Central.Configuration;

/// <summary>Environment variables that carry secrets; secrets never live in the config file and are never logged.</summary>
internal static class SecretNames
{
    public const string ApiToken = "EDGEAI_CENTRAL_API_TOKEN";
    public const string MqttPassword = "EDGEAI_CENTRAL_MQTT_PASSWORD";
    public const string Database = "EDGEAI_CENTRAL_DATABASE";
    public const string PlatformSecret = "EDGEAI_CENTRAL_PLATFORM_SECRET";
    public const string CallbackSecret = "EDGEAI_CENTRAL_CALLBACK_SECRET";
    public const string Open311ApiKey = "EDGEAI_CENTRAL_OPEN311_API_KEY";
}
